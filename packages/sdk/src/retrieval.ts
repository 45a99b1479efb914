/**
 * Retrieval documents: a retriever's result recognised as documents (`{ id?, content |
 * pageContent | page_content | text, score?, metadata? }` items, LangChain and LlamaIndex
 * shapes included) and recorded as `gen_ai.retrieval.documents` JSON, which the normalizer
 * maps to the canonical `retrievalDocuments`.
 */
import { getConfig } from './config.ts';
import { redactCut, toJsonText } from './serialize.ts';

/** A retrieved document as recorded. */
export interface RetrievedDocument {
  id?: string;
  content?: string;
  score?: number;
  metadata?: Record<string, unknown>;
}

const MAX_DOCUMENTS = 100;
const CONTENT_KEYS = ['content', 'pageContent', 'page_content', 'text'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toDocument(item: unknown): RetrievedDocument | undefined {
  // LlamaIndex nodes-with-score: { node: { text, id_ }, score }.
  const raw = isRecord(item) && isRecord(item.node) ? { ...item.node, score: item.score } : item;
  if (!isRecord(raw)) return undefined;
  const key = CONTENT_KEYS.find((k) => typeof raw[k] === 'string');
  if (key === undefined) return undefined;
  const doc: RetrievedDocument = { content: raw[key] as string };
  const id = raw.id ?? raw.id_;
  if (typeof id === 'string' || typeof id === 'number') doc.id = String(id);
  if (typeof raw.score === 'number' && Number.isFinite(raw.score)) doc.score = raw.score;
  if (isRecord(raw.metadata)) doc.metadata = raw.metadata;
  return doc;
}

/** The documents in a retriever's result, or undefined when it is not a non-empty list of documents. */
export function documentsOf(value: unknown): RetrievedDocument[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const docs: RetrievedDocument[] = [];
  for (const item of value.slice(0, MAX_DOCUMENTS)) {
    const doc = toDocument(item);
    if (doc === undefined) return undefined;
    docs.push(doc);
  }
  return docs;
}

/** Metadata as plain JSON data within `max` characters (over-long metadata becomes one text field). */
function boundedMetadata(metadata: Record<string, unknown>, max: number): unknown {
  const text = toJsonText(metadata, max);
  try {
    return JSON.parse(text);
  } catch {
    return { truncated: text };
  }
}

/**
 * The `gen_ai.retrieval.documents` value. Each document's content gets an equal share of the
 * content budget (cut JSON would not parse); without content capture only ids, scores and
 * metadata are kept.
 */
export function documentsAttribute(docs: readonly RetrievedDocument[], withContent: boolean): string {
  const { maxContentChars } = getConfig();
  const share = Math.max(200, Math.floor(maxContentChars / Math.max(1, docs.length)));
  const shown = docs.map((doc) => {
    const out: Record<string, unknown> = {};
    if (doc.id !== undefined) out.id = doc.id;
    if (withContent && doc.content !== undefined) out.content = redactCut(doc.content, share);
    if (doc.score !== undefined) out.score = doc.score;
    if (doc.metadata !== undefined) out.metadata = boundedMetadata(doc.metadata, Math.min(share, 4000));
    return out;
  });
  return JSON.stringify(shown);
}
