/**
 * Content of a LangSmith run: inputs/outputs as normalized messages for chat shapes (LangChain
 * message dicts, OpenAI `{role, content}`, nested `inputs.messages`, `outputs.generations`,
 * `outputs.choices`) and as plain values otherwise; tool definitions, finish reasons, response
 * id, retriever documents; and the run's events with the first `new_token` as TTFT. Pure.
 */
import type { RetrievalDocument, SpanEvent, SpanKind } from '@argus/shared';
import { type ContentFields, contentValue } from '../normalize/content.ts';
import { isMessageList, systemFromMessages } from '../normalize/conversation.ts';
import { capField, type LimitTally, sanitizeAttributes } from '../normalize/limits.ts';
import { finishReasonsOf } from '../normalize/messages.ts';
import { isoFromUnixNano, MAX_UNIX_NANO, msBetween } from '../normalize/time.ts';
import { normalizeToolDefinitions } from '../normalize/tools.ts';
import { isRecord, toNumber, toText } from '../normalize/values.ts';
import type { LangsmithRun } from './run.ts';
import { objectField, runTimeNs } from './run-fields.ts';

/** Content fields of the span: those of an OTLP span, and the retrieved documents. */
export interface RunContent extends ContentFields {
  retrievalDocuments?: RetrievalDocument[];
}

/** LangChain completion LLMs record `{prompts: [text…]}`: each prompt is a user message. */
function llmInput(inputs: unknown, kind: SpanKind): unknown {
  if (kind === 'llm' && isRecord(inputs) && Array.isArray(inputs.prompts) && inputs.messages === undefined) {
    return contentValue(inputs.prompts, kind, 'input');
  }
  return contentValue(inputs, kind, 'input');
}

/** Retriever output `{documents: [{page_content, metadata, id?}]}` as retrieval documents. */
function documentsOf(outputs: unknown): RetrievalDocument[] | undefined {
  const list = isRecord(outputs) && Array.isArray(outputs.documents) ? outputs.documents : undefined;
  if (list === undefined) return undefined;
  const docs = list.filter(isRecord).map((d) => {
    const doc: RetrievalDocument = {};
    const content = toText(d.page_content ?? d.pageContent ?? d.content);
    if (content !== undefined) doc.content = content;
    const metadata = objectField(d, 'metadata');
    if (metadata !== undefined) doc.metadata = metadata;
    const id = toText(d.id ?? metadata?.id);
    if (id !== undefined) doc.id = id;
    const score = toNumber(d.score ?? metadata?.score);
    if (score !== undefined) doc.score = score;
    return doc;
  });
  return docs.length > 0 ? docs : undefined;
}

/** Maps the content fields of a run (values are fitted to the limits by the caller). */
export function runContent(run: LangsmithRun, kind: SpanKind): RunContent {
  const empty = (v: unknown) => v === undefined || v === null || (isRecord(v) && Object.keys(v).length === 0);
  const input = empty(run.inputs) ? undefined : llmInput(run.inputs, kind);
  const output = empty(run.outputs) ? undefined : contentValue(run.outputs, kind, 'output');
  const inputs = isRecord(run.inputs) ? run.inputs : {};
  const extra = isRecord(run.extra) ? run.extra : {};
  const invocation = objectField(extra, 'invocation_params') ?? {};
  const outputs = isRecord(run.outputs) ? run.outputs : {};
  const content: RunContent = {
    input,
    output,
    systemInstructions: systemFromMessages(input),
    toolDefinitions: normalizeToolDefinitions(inputs.tools ?? invocation.tools ?? invocation.functions),
    finishReasons: isMessageList(output) ? finishReasonsOf(output) : [],
    responseId: (kind === 'llm' ? toText(outputs.id) : undefined) ?? '',
  };
  if (kind === 'retriever') content.retrievalDocuments = documentsOf(run.outputs);
  return content;
}

/** Span events of a run and its time to first token. */
export interface RunEvents {
  events: SpanEvent[];
  ttftMs?: number;
  /** `new_token` events after the first, left out (they can number thousands per run). */
  droppedTokenEvents: number;
}

function clamp(ns: bigint): bigint {
  return ns < 0n ? 0n : ns > MAX_UNIX_NANO ? MAX_UNIX_NANO : ns;
}

/**
 * Run events (`[{name, time, kwargs}]`) as span events: every event but `new_token`, and the
 * first `new_token` only (its time gives TTFT). At most `maxAttributes` events are kept.
 */
export function runEvents(value: unknown, startNs: bigint, tally: LimitTally): RunEvents {
  const list = Array.isArray(value) ? value.filter(isRecord) : [];
  const events: SpanEvent[] = [];
  let ttftMs: number | undefined;
  let droppedTokenEvents = 0;
  for (const event of list) {
    const name = toText(event.name) ?? 'event';
    const ns = runTimeNs(event.time);
    if (name === 'new_token') {
      if (ttftMs !== undefined || ns === undefined) {
        droppedTokenEvents++;
        continue;
      }
      const ms = msBetween(startNs, ns);
      ttftMs = ms >= 0 ? ms : undefined;
    }
    if (events.length >= tally.limits.maxAttributes) {
      tally.droppedAttributes++;
      continue;
    }
    const at = clamp(ns ?? startNs);
    events.push({
      name: capField(name, tally),
      time: isoFromUnixNano(at),
      timeUnixNano: at.toString(),
      attributes: sanitizeAttributes(isRecord(event.kwargs) ? event.kwargs : {}, tally),
    });
  }
  const out: RunEvents = { events, droppedTokenEvents };
  if (ttftMs !== undefined) out.ttftMs = ttftMs;
  return out;
}
