/**
 * Message parts in every producer's shape (OTel, OpenAI, Anthropic, Gemini, Vercel,
 * OpenInference, OpenLLMetry) mapped to the OTel GenAI ≥1.37 parts schema (rule 3.4.6).
 */
import type { MessagePart } from '@argus/shared';
import { isRecord, parseStructured, record, toText } from './values.ts';

/** Tool arguments/results arrive as JSON strings on most wires; objects are easier to query. */
export function parseArguments(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return parseStructured(value) ?? value;
}

function modalityOf(mime: string | undefined, fallback: string): string {
  const top = mime?.split('/')[0];
  return top === 'image' || top === 'audio' || top === 'video' ? top : fallback;
}

/** A `blob` part for base64 data and data: URLs, a `uri` part for anything else. */
function mediaPart(source: unknown, mime: string | undefined, fallback: string): MessagePart | undefined {
  const text = toText(source);
  if (text === undefined) return undefined;
  const dataUrl = /^data:([^;,]+)?(?:;[^,]*)?,(.*)$/s.exec(text);
  if (dataUrl) {
    const type = dataUrl[1] ?? mime;
    return { type: 'blob', modality: modalityOf(type, fallback), mime_type: type, content: dataUrl[2] };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text))
    return { type: 'uri', modality: modalityOf(mime, fallback), mime_type: mime, uri: text };
  return { type: 'blob', modality: modalityOf(mime, fallback), mime_type: mime, content: text };
}

function toolCall(p: Record<string, unknown>): MessagePart {
  const fn = isRecord(p.function) ? p.function : isRecord(p.functionCall) ? p.functionCall : undefined;
  return {
    type: 'tool_call',
    id: toText(p.id ?? p.toolCallId ?? p.call_id),
    name: toText(p.name ?? p.toolName ?? fn?.name) ?? '',
    arguments: parseArguments(p.arguments ?? p.input ?? p.args ?? fn?.arguments ?? fn?.args),
  };
}

function toolResponse(p: Record<string, unknown>): MessagePart {
  const fr = isRecord(p.functionResponse) ? p.functionResponse : undefined;
  return {
    type: 'tool_call_response',
    id: toText(p.id ?? p.toolCallId ?? p.tool_use_id ?? p.call_id),
    name: toText(p.toolName ?? p.name ?? fr?.name),
    response: p.response ?? p.result ?? p.output ?? p.content ?? fr?.response,
  };
}

function textPart(type: 'text' | 'reasoning', value: unknown): MessagePart | undefined {
  const content = toText(value);
  return content === undefined ? undefined : { type, content };
}

/** Parts that carry a `type` field. */
function typedPart(type: string, p: Record<string, unknown>): MessagePart | undefined {
  switch (type) {
    case 'text':
    case 'input_text':
    case 'output_text':
      return textPart('text', p.content ?? p.text);
    case 'reasoning':
    case 'thinking':
      return textPart('reasoning', p.content ?? p.text ?? p.thinking);
    case 'tool_call':
    case 'tool_use':
    case 'function_call':
    case 'function':
      return toolCall(p);
    case 'tool_call_response':
    case 'tool_result':
    case 'function_call_output':
      return toolResponse(p);
    case 'image_url': {
      const url = isRecord(p.image_url) ? p.image_url.url : p.image_url;
      return mediaPart(url, undefined, 'image');
    }
    case 'image': {
      const src = isRecord(p.source) ? p.source : undefined;
      const oi = isRecord(p.image) && isRecord(p.image.image) ? p.image.image.url : undefined;
      const mime = toText(src?.media_type ?? p.mimeType ?? p.mediaType);
      return mediaPart(src?.data ?? src?.url ?? oi ?? p.image ?? p.url, mime, 'image');
    }
    case 'input_audio': {
      const audio = isRecord(p.input_audio) ? p.input_audio : {};
      return mediaPart(audio.data, `audio/${toText(audio.format) ?? 'wav'}`, 'audio');
    }
    case 'file':
      if (p.file_id !== undefined || p.data === undefined) return copyPart(type, p);
      return mediaPart(p.data, toText(p.mediaType ?? p.mimeType), 'document');
    default:
      return copyPart(type, p);
  }
}

/** Keeps an unknown part as it is (GenericPart must be tolerated), under a null prototype. */
function copyPart(type: string, p: Record<string, unknown>): MessagePart {
  const out = record<unknown>() as MessagePart;
  for (const [k, v] of Object.entries(p)) out[k] = v;
  out.type = type;
  return out;
}

/** Parts without a `type` field: Gemini (`text`, `functionCall` …) and flattened tool calls. */
function untypedPart(p: Record<string, unknown>): MessagePart | undefined {
  if (isRecord(p.message_content)) return normalizePart(p.message_content);
  if (isRecord(p.tool_call)) return toolCall(p.tool_call);
  if (isRecord(p.functionCall) || isRecord(p.function)) return toolCall(p);
  if (isRecord(p.functionResponse)) return toolResponse(p);
  if (isRecord(p.inlineData)) return mediaPart(p.inlineData.data, toText(p.inlineData.mimeType), 'image');
  if (p.text !== undefined) return textPart('text', p.text);
  if (p.content !== undefined && typeof p.content === 'string') return textPart('text', p.content);
  if (p.name !== undefined && (p.arguments !== undefined || p.args !== undefined)) return toolCall(p);
  return copyPart('unknown', p);
}

/** One part in the OTel schema, or undefined for values that carry nothing. */
export function normalizePart(value: unknown): MessagePart | undefined {
  if (typeof value === 'string') return value === '' ? undefined : { type: 'text', content: value };
  if (typeof value === 'number' || typeof value === 'boolean')
    return { type: 'text', content: String(value) };
  if (!isRecord(value)) return undefined;
  const type = toText(value.type)?.toLowerCase().replace(/-/g, '_');
  const part = type === undefined ? untypedPart(value) : typedPart(type, value);
  if (part === undefined) return undefined;
  for (const key of Object.keys(part)) if (part[key] === undefined) delete part[key];
  return part;
}

/** Parts from a message `content`: a string, one part object, or a list of parts. */
export function partsFromContent(content: unknown): MessagePart[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') {
    // OpenLLMetry sends multimodal content as a JSON string of the part list.
    const parsed = content.trimStart().startsWith('[') ? parseStructured(content) : undefined;
    if (
      Array.isArray(parsed) &&
      parsed.length > 0 &&
      parsed.every((p) => isRecord(p) && typeof p.type === 'string')
    ) {
      return partsFromContent(parsed);
    }
    return content === '' ? [] : [{ type: 'text', content }];
  }
  const list = Array.isArray(content) ? content : [content];
  return list.map(normalizePart).filter((p): p is MessagePart => p !== undefined);
}
