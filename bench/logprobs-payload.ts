/**
 * The Argus SDK's `gen_ai.choice.logprobs` event attributes for an answer, as the benchmarks send
 * them: one token per word (leading space kept), 5 alternatives each (~270 characters of JSON per
 * token).
 */
export function sdkLogprobsAttributes(answer: string): Record<string, string | number> {
  const content = answer.split(' ').map((word, j) => {
    const token = j === 0 ? word : ` ${word}`;
    const logprob = -((j * 37) % 100) / 60;
    const top_logprobs = [token, ' the', ' a', ' and', ' to'].map((t, k) => ({
      token: t,
      logprob: logprob - k * 0.9,
    }));
    return { token, logprob, top_logprobs };
  });
  return {
    'gen_ai.choice.index': 0,
    'logprobs.count': content.length,
    'logprobs.mean': content.reduce((sum, t) => sum + t.logprob, 0) / content.length,
    'logprobs.content': JSON.stringify(content),
  };
}
