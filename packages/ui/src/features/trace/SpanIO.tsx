/** The content of a span: chat messages for model calls, values for other spans, retrieved documents. */
import type { RetrievalDocument, Span } from '../../api-types.ts';
import { Collapsible } from '../../components/Collapsible.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import { JsonTree } from '../../components/JsonTree.tsx';
import { Markdown } from '../../components/Markdown.tsx';
import { ChatView } from './ChatView.tsx';
import { hasContent, isLongText, isMessageList, parseMaybeJson, systemMessages } from './span-content.ts';
import { TokenHeatmap } from './TokenHeatmap.tsx';

/** A titled plain value: markdown for text, a tree for JSON. */
function Value({ title, value }: { title: string; value: unknown }) {
  const parsed = parseMaybeJson(value);
  return (
    <section className="panel" aria-label={title}>
      <div className="panel-head">
        {title}
        <span className="spacer" />
        {typeof parsed === 'string' && <CopyButton text={parsed} />}
      </div>
      <div className="panel-body">
        {typeof parsed === 'string' ? (
          <Collapsible isLong={isLongText(parsed)}>
            <Markdown text={parsed} />
          </Collapsible>
        ) : (
          <JsonTree value={parsed} />
        )}
      </div>
    </section>
  );
}

/** A span's or a trace's input or output: chat messages when it is a message list, else {@link Value}. */
export function Content({ title, value }: { title: 'Input' | 'Output'; value: unknown }) {
  return isMessageList(value) ? (
    <ChatView messages={value} label={title.toLowerCase()} />
  ) : (
    <Value title={title} value={value} />
  );
}

/** Retrieved documents with their scores. */
export function Documents({ documents }: { documents: RetrievalDocument[] }) {
  const best = Math.max(0, ...documents.map((d) => d.score ?? 0));
  return (
    <section className="panel" aria-label="Retrieved documents">
      <div className="panel-head">Retrieved documents ({documents.length})</div>
      <div className="panel-body docs">
        {documents.map((doc, n) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: documents keep their retrieval order
          <div className="doc" key={n}>
            <div className="doc-head">
              <span>#{n + 1}</span>
              {doc.id && <span className="mono">{doc.id}</span>}
              {doc.score !== undefined && (
                <span title="Score">
                  <span
                    className="score-bar"
                    style={{ width: best > 0 ? `${(doc.score / best) * 60}px` : 0 }}
                  />{' '}
                  {doc.score.toFixed(3)}
                </span>
              )}
            </div>
            {doc.content && (
              <Collapsible isLong={isLongText(doc.content)}>
                <div className="md-plain">{doc.content}</div>
              </Collapsible>
            )}
            {doc.metadata && Object.keys(doc.metadata).length > 0 && (
              <JsonTree value={doc.metadata} openDepth={0} isCopyable={false} />
            )}
          </div>
        ))}
      </div>
    </section>
  );
}

/** Input, output, system instructions, tool definitions and documents of a span. */
export function SpanIO({ span }: { span: Span }) {
  // Some conventions repeat the system prompt as the first input message: show it once.
  const hasSystemInput = isMessageList(span.input) && span.input.some((m) => m.role === 'system');
  const system = hasSystemInput ? [] : systemMessages(span.systemInstructions);
  const hasInput = hasContent(span.input);
  const hasOutput = hasContent(span.output);
  const documents = span.retrievalDocuments ?? [];
  const isEmpty = !hasInput && !hasOutput && system.length === 0 && documents.length === 0;
  return (
    <>
      {system.length > 0 && <ChatView messages={system} />}
      {hasInput && <Content title="Input" value={span.input} />}
      {documents.length > 0 && <Documents documents={documents} />}
      {hasOutput && <Content title="Output" value={span.output} />}
      <TokenHeatmap span={span} />
      {hasContent(span.toolDefinitions) && (
        <details className="panel">
          <summary className="panel-head" style={{ cursor: 'pointer' }}>
            Tool definitions
          </summary>
          <div className="panel-body">
            <JsonTree value={span.toolDefinitions} openDepth={1} />
          </div>
        </details>
      )}
      {isEmpty && <div className="state">This span recorded no input or output content.</div>}
    </>
  );
}
