/**
 * Tool definitions, system instructions, tool-call fields of tool spans and retrieval
 * documents, each from every source in precedence table 3.3.
 */
import type { MessagePart, RetrievalDocument, SpanKind } from '@argus/shared';
import type { AttrBag } from './attr-bag.ts';
import { partsFromContent } from './parts.ts';
import { decodeMaybeJson, isRecord, record, stringifyValue, toNumber, toText } from './values.ts';

/** One tool definition in the OTel shape `{type, name, description?, parameters?}`. */
function normalizeToolDefinition(value: unknown): unknown {
  const def = decodeMaybeJson(value);
  if (!isRecord(def)) return def;
  // OpenAI wraps the function: {type:'function', function:{name, description, parameters}}.
  const fn = isRecord(def.function) ? def.function : def;
  const name = toText(fn.name);
  if (name === undefined) return def;
  const out: Record<string, unknown> = { type: toText(def.type) ?? 'function', name };
  const description = toText(fn.description);
  if (description !== undefined) out.description = description;
  const parameters = decodeMaybeJson(fn.parameters ?? fn.inputSchema ?? fn.input_schema ?? fn.json_schema);
  if (parameters !== undefined) out.parameters = parameters;
  return out;
}

/** Tool definitions as a list in the OTel shape; undefined when there are none. */
export function normalizeToolDefinitions(value: unknown): unknown[] | undefined {
  const decoded = decodeMaybeJson(value);
  if (decoded === undefined || decoded === null || decoded === '') return undefined;
  const list = Array.isArray(decoded) ? decoded : [decoded];
  return list.length === 0 ? undefined : list.map(normalizeToolDefinition);
}

/** System instructions as OTel parts (`[{type:'text', content}]`); undefined when empty. */
export function normalizeSystemInstructions(value: unknown): MessagePart[] | undefined {
  const decoded = decodeMaybeJson(value);
  if (decoded === undefined || decoded === null) return undefined;
  const one = (p: unknown): MessagePart[] => {
    if (!isRecord(p)) return partsFromContent(p);
    if (Array.isArray(p.parts)) return partsFromContent(p.parts); // a system message rather than parts
    return p.type === undefined && p.content !== undefined
      ? partsFromContent(p.content)
      : partsFromContent(p);
  };
  const parts = Array.isArray(decoded) ? decoded.flatMap(one) : one(decoded);
  return parts.length > 0 ? parts : undefined;
}

/** Tool definitions from `gen_ai.tool.definitions`, OpenInference `llm.tools.*`, OpenLLMetry functions, Vercel `ai.prompt.tools`. */
export function mapToolDefinitions(attrs: AttrBag): unknown[] | undefined {
  const direct = attrs.pick(['gen_ai.tool.definitions', 'ai.prompt.tools'], normalizeToolDefinitions);
  if (direct !== undefined) return direct;
  const oi = attrs.nested('llm.tools.');
  if (Array.isArray(oi)) {
    attrs.consumePrefix('llm.tools.');
    return oi.map((t) => normalizeToolDefinition(isRecord(t) && isRecord(t.tool) ? t.tool.json_schema : t));
  }
  const fns = attrs.nested('llm.request.functions.');
  if (Array.isArray(fns)) {
    attrs.consumePrefix('llm.request.functions.');
    return fns.map(normalizeToolDefinition);
  }
  return undefined;
}

/** Tool name and call id of a tool span. */
export function mapToolCall(attrs: AttrBag, kind: SpanKind): { toolName: string; toolCallId: string } {
  const toolName =
    attrs.pick(['gen_ai.tool.name', 'tool.name', 'ai.toolCall.name'], toText) ??
    (kind === 'tool' ? attrs.pick(['traceloop.entity.name'], toText) : undefined);
  const toolCallId = attrs.pick(['gen_ai.tool.call.id', 'tool.id', 'ai.toolCall.id', 'tool_call.id'], toText);
  return { toolName: toolName ?? '', toolCallId: toolCallId ?? '' };
}

function toDocument(value: unknown): RetrievalDocument | undefined {
  const raw = isRecord(value) && isRecord(value.document) ? value.document : value;
  if (!isRecord(raw)) return typeof raw === 'string' ? { content: raw } : undefined;
  const doc: RetrievalDocument = {};
  const id = toText(raw.id);
  if (id !== undefined) doc.id = id;
  const content = raw.content ?? raw.page_content ?? raw.text;
  if (content !== undefined && content !== null) doc.content = stringifyValue(content);
  const score = toNumber(raw.score);
  if (score !== undefined) doc.score = score;
  const metadata = decodeMaybeJson(raw.metadata);
  if (isRecord(metadata)) {
    doc.metadata = record<unknown>();
    for (const [k, v] of Object.entries(metadata)) doc.metadata[k] = v;
  }
  return doc;
}

function toDocuments(list: unknown): RetrievalDocument[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const docs = list.map(toDocument).filter((d): d is RetrievalDocument => d !== undefined);
  return docs.length > 0 ? docs : undefined;
}

/** Retrieved documents: OpenInference `retrieval.documents.*` > `gen_ai.retrieval.documents` > reranker output. */
export function mapRetrievalDocuments(attrs: AttrBag): RetrievalDocument[] | undefined {
  for (const prefix of ['retrieval.documents.', 'reranker.output_documents.']) {
    const docs = toDocuments(attrs.nested(prefix));
    if (docs !== undefined) {
      attrs.consumePrefix(prefix);
      return docs;
    }
  }
  return attrs.pick(['gen_ai.retrieval.documents'], (v) => toDocuments(decodeMaybeJson(v)));
}
