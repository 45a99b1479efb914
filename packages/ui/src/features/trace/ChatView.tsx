/** Chat rendering of system / user / assistant / tool messages and their parts. */
import type { Message, MessagePart } from '../../api-types.ts';
import { Collapsible } from '../../components/Collapsible.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import { JsonTree } from '../../components/JsonTree.tsx';
import { Markdown } from '../../components/Markdown.tsx';
import { isLongText, parseMaybeJson } from './span-content.ts';

function TextPart({ text, isMarkdown = true }: { text: string; isMarkdown?: boolean }) {
  return (
    <Collapsible isLong={isLongText(text)}>
      {isMarkdown ? <Markdown text={text} /> : <pre className="md-plain">{text}</pre>}
    </Collapsible>
  );
}

function Part({ part }: { part: MessagePart }) {
  switch (part.type) {
    case 'text':
      return <TextPart text={String(part.content ?? '')} />;
    case 'reasoning':
      return (
        <>
          <div className="part-label">Reasoning</div>
          <div className="muted">
            <TextPart text={String(part.content ?? '')} />
          </div>
        </>
      );
    case 'tool_call':
      return (
        <>
          <div className="part-label">
            <span className="chip accent">tool call</span>
            <strong>{part.name ?? '(unnamed)'}</strong>
            {part.id && <span className="mono faint">{part.id}</span>}
          </div>
          <JsonTree value={parseMaybeJson(part.arguments ?? {})} />
        </>
      );
    case 'tool_call_response': {
      const response = parseMaybeJson(part.response ?? part.content);
      return (
        <>
          <div className="part-label">
            <span className="chip">tool result</span>
            {part.id && <span className="mono faint">{part.id}</span>}
          </div>
          {typeof response === 'string' ? (
            <TextPart text={response} isMarkdown={false} />
          ) : (
            <JsonTree value={response} />
          )}
        </>
      );
    }
    case 'json':
      return <pre className="json-pre">{String(part.content ?? '')}</pre>;
    default:
      return (
        <>
          <div className="part-label">
            <span className="chip">{part.type}</span>
          </div>
          <JsonTree value={part} />
        </>
      );
  }
}

function messageText(message: Message): string {
  return message.parts
    .map((p) => (typeof p.content === 'string' ? p.content : JSON.stringify(p.arguments ?? p.response ?? p)))
    .join('\n\n');
}

/** One message. */
export function ChatMessage({ message, label }: { message: Message; label?: string }) {
  const role = message.role || 'unknown';
  return (
    <article className={`msg msg-${role}`} data-role={role}>
      <div className="msg-head">
        <span className="msg-role">{role}</span>
        {message.name && <span>{message.name}</span>}
        {label && <span className="faint">{label}</span>}
        {message.finishReason && <span className="chip">finish: {message.finishReason}</span>}
        <span style={{ flex: 1 }} />
        <CopyButton text={messageText(message)} />
      </div>
      {message.parts.length === 0 ? (
        <div className="msg-body faint">(empty)</div>
      ) : (
        message.parts.map((part, n) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts have no identity and never reorder
          <div className="msg-body" key={n}>
            <Part part={part} />
          </div>
        ))
      )}
    </article>
  );
}

/** A list of messages. */
export function ChatView({ messages, label }: { messages: Message[]; label?: string }) {
  return (
    <div className="chat">
      {messages.map((m, n) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: messages are a fixed transcript
        <ChatMessage key={n} message={m} label={label} />
      ))}
    </div>
  );
}
