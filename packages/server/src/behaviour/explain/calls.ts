/**
 * The model calls of one explain job: chat replays, scoring and embeddings through the project's
 * connection, each recorded so the job's calls become one evaluator trace in the project (as
 * evaluator runs are traced), counted for progress and stopped by the job's abort signal.
 */

import type { TracesRequest } from '../../otlp/types.ts';
import { type ChatMessage, type ConnectionTarget, callChat } from '../../quality/connections-client.ts';
import {
  type EvaluatorRunRecord,
  evaluatorTrace,
  type ModelCallRecord,
  nowNs,
} from '../../quality/evaluators/trace.ts';
import type { HostPolicy } from '../../quality/host-guard.ts';
import { callScoreText } from '../../quality/score-text.ts';
import type { Embedder } from '../drift/embedding-result.ts';
import type { RecordedCall } from './recorded.ts';

/** Most calls kept in a job's trace (the rest are counted, not recorded). */
const MAX_TRACED_CALLS = 500;

/** What a job's calls need. */
export interface CallDeps {
  target: ConnectionTarget;
  hostPolicy: HostPolicy;
  signal: AbortSignal;
  /** Called after every model call (progress). */
  onCall(): void;
}

/** The calls of one job, recorded for its trace. */
export class JobCalls {
  readonly #deps: CallDeps;
  readonly #records: ModelCallRecord[] = [];
  readonly #started = nowNs();
  #chats = new Map<string, Promise<string>>();

  constructor(deps: CallDeps) {
    this.#deps = deps;
  }

  #record(record: ModelCallRecord): void {
    if (this.#records.length < MAX_TRACED_CALLS) this.#records.push(record);
    this.#deps.onCall();
  }

  /** The answer of `messages` with the recorded call's model and parameters (cached per prompt). */
  chat(call: Pick<RecordedCall, 'model' | 'params'>, messages: ChatMessage[]): Promise<string> {
    const key = JSON.stringify(messages);
    let answer = this.#chats.get(key);
    if (!answer) {
      answer = this.#chat(call, messages);
      this.#chats.set(key, answer);
    }
    return answer;
  }

  async #chat(call: Pick<RecordedCall, 'model' | 'params'>, messages: ChatMessage[]): Promise<string> {
    this.#deps.signal.throwIfAborted();
    const startNs = nowNs();
    const base = {
      operation: 'chat' as const,
      provider: this.#deps.target.provider,
      model: call.model,
      messages,
    };
    try {
      const result = await callChat(
        this.#deps.target,
        { model: call.model, messages, ...call.params },
        { hostPolicy: this.#deps.hostPolicy, signal: this.#deps.signal, maxRetries: 2 },
      );
      this.#record({ ...base, result, startNs, endNs: nowNs() });
      return result.text;
    } catch (error) {
      this.#record({ ...base, error: (error as Error).message, startNs, endNs: nowNs() });
      throw error;
    }
  }

  /** Mean logprob of `text` after `context` (the endpoint's echo scoring). */
  async meanLogprob(model: string, context: string, text: string): Promise<number> {
    this.#deps.signal.throwIfAborted();
    const startNs = nowNs();
    const base = { operation: 'text_completion' as const, provider: this.#deps.target.provider, model };
    try {
      const scored = await callScoreText(
        this.#deps.target,
        { model, context, text, alternatives: 0 },
        { hostPolicy: this.#deps.hostPolicy, signal: this.#deps.signal, maxRetries: 2 },
      );
      const result = {
        text: '',
        toolCalls: [],
        usage: scored.usage,
        model: scored.model,
        finishReason: 'stop',
      };
      this.#record({ ...base, texts: [context, text], result, startNs, endNs: nowNs() });
      const logprobs = scored.tokens.map((t) => t.logprob);
      return logprobs.length === 0 ? 0 : logprobs.reduce((s, v) => s + v, 0) / logprobs.length;
    } catch (error) {
      this.#record({ ...base, texts: [text], error: (error as Error).message, startNs, endNs: nowNs() });
      throw error;
    }
  }

  /** `embed` with each batch recorded as an embeddings call (`model` unset = the featuriser, not traced). */
  tracedEmbedder(embed: Embedder, model: string | undefined): Embedder {
    return async (texts) => {
      this.#deps.signal.throwIfAborted();
      const startNs = nowNs();
      const answer = await embed(texts);
      if (model !== undefined) {
        const usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
        const result = { text: '', toolCalls: [], usage, model: answer.model ?? model, finishReason: '' };
        this.#record({
          operation: 'embeddings',
          provider: this.#deps.target.provider,
          model,
          texts,
          result,
          startNs,
          endNs: nowNs(),
        });
      }
      return answer;
    };
  }

  /** The job's evaluator trace: a root span for the job, one child per recorded call. */
  trace(
    name: string,
    sample: EvaluatorRunRecord['sample'],
    outcome: { error?: string; score?: number },
  ): { request: TracesRequest; traceId: string } {
    return evaluatorTrace({
      evaluatorName: name,
      evaluatorType: 'explain',
      sample,
      ...(outcome.error ? { error: outcome.error } : {}),
      ...(outcome.score !== undefined ? { result: { score: outcome.score } } : {}),
      startNs: this.#started,
      endNs: nowNs(),
      calls: this.#records,
    });
  }
}
