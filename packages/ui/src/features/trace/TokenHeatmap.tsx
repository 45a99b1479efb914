/**
 * The token heatmap of a span with logprobs: each output token tinted by its probability (red for
 * unlikely, fading out for certain), its probability and the model's top alternatives on hover or
 * focus, and the span's confidence figures above.
 */
import type { Span } from '../../api-types.ts';
import {
  type ChoiceTokens,
  formatProbability,
  type HeatToken,
  probabilityOf,
  tintOf,
  tokenLogprobsOf,
} from './token-logprobs.ts';

/** Whitespace a token is made of, shown so it can be seen (and hovered). */
function visible(token: string): string {
  return token === '' ? '∅' : token.replace(/\n/g, '↵\n').replace(/\t/g, '→');
}

function Token({ token }: { token: HeatToken }) {
  const p = probabilityOf(token.logprob);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: focusable so keyboard users can read the alternatives
    <span className="tok" tabIndex={0} style={{ background: tintOf(p) }} data-probability={p.toFixed(4)}>
      {visible(token.token)}
      <span className="tok-tip" role="tooltip">
        <span className="tok-tip-head">
          <code>{JSON.stringify(token.token)}</code> {formatProbability(p)}
        </span>
        {token.top.length > 0 && (
          <table>
            <tbody>
              {token.top.map((a, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: alternatives keep the model's order
                <tr key={i} className={a.token === token.token ? 'chosen' : undefined}>
                  <td>
                    <code>{JSON.stringify(a.token)}</code>
                  </td>
                  <td className="num">{formatProbability(probabilityOf(a.logprob))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </span>
    </span>
  );
}

function Figures({ span }: { span: Span }) {
  const figures: [string, string | undefined, string][] = [
    ['Perplexity', span.perplexity?.toFixed(3), 'exp(−mean token logprob); 1 = every token certain'],
    ['Mean logprob', span.logprobMean?.toFixed(3), 'Mean natural-log probability of the tokens'],
    ['Min logprob', span.logprobMin?.toFixed(3), 'The least likely token'],
    [
      'Top-k entropy',
      span.topEntropyMean?.toFixed(3),
      'Mean entropy (nats) of the returned alternatives, their left-out mass as one more outcome',
    ],
    [
      'Tokens under 50 %',
      span.lowProbShare === undefined ? undefined : formatProbability(span.lowProbShare),
      'Share of tokens the model gave less than even odds',
    ],
  ];
  return (
    <div className="tok-figures">
      {figures.map(([label, value, title]) =>
        value === undefined ? null : (
          <span key={label} className="kv" title={title}>
            <span>{label}</span>
            <span className="num">{value}</span>
          </span>
        ),
      )}
    </div>
  );
}

function Choice({ choice, isOnly }: { choice: ChoiceTokens; isOnly: boolean }) {
  return (
    <div className="tok-choice">
      {!isOnly && <div className="muted">Choice {choice.index}</div>}
      <div className="tok-text">
        {choice.tokens.map((token, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: tokens keep their generated order
          <Token key={i} token={token} />
        ))}
      </div>
      {choice.dropped > 0 && (
        <div className="muted">
          {choice.dropped} more tokens are not kept for display; the figures above cover them.
        </div>
      )}
    </div>
  );
}

/** The panel, or nothing when the span kept no token logprobs. */
export function TokenHeatmap({ span }: { span: Span }) {
  const choices = tokenLogprobsOf(span);
  if (choices.length === 0 && span.perplexity === undefined) return null;
  return (
    <section className="panel" aria-label="Token confidence">
      <div className="panel-head">
        Token confidence
        <span className="spacer" />
        <span className="tok-legend muted" aria-hidden="true">
          <span style={{ background: tintOf(0.05) }}>unlikely</span>
          <span style={{ background: tintOf(0.5) }}>50 %</span>
          <span style={{ background: tintOf(0.99) }}>certain</span>
        </span>
      </div>
      <div className="panel-body">
        <Figures span={span} />
        {choices.length === 0 ? (
          <div className="muted">The tokens were not recorded (only their mean), so there is no heatmap.</div>
        ) : (
          choices.map((choice) => <Choice key={choice.index} choice={choice} isOnly={choices.length === 1} />)
        )}
      </div>
    </section>
  );
}
