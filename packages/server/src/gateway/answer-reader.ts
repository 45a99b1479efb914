/**
 * What a provider answered, read for the span from the JSON answer or event by event from a
 * stream: output messages, usage, the model and id, finish reasons, log-probabilities and when
 * each token arrived (for time to first token and inter-token latency). Pure.
 */
import type { Message, MessagePart } from '@argus/shared';
import { toMessages } from '../normalize/messages.ts';
import { parseArguments } from '../normalize/parts.ts';
import { isRecord, toCount, toText } from '../normalize/values.ts';
import type { Operation } from './request-facts.ts';

/** Token usage as the span records it (input includes cached tokens). */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
}

/** What the span records of an answer. */
export interface AnswerFacts {
  responseModel: string;
  responseId: string;
  output: Message[] | undefined;
  finishReasons: string[];
  usage: Usage | undefined;
  logprobs: { token: string; logprob: number }[];
  /** An error the provider sent inside a 200 stream. */
  streamError: string | undefined;
}

const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});

function openaiUsage(u: Record<string, unknown>): Usage {
  const input = toCount(u.prompt_tokens ?? u.input_tokens) ?? 0;
  return {
    inputTokens: input,
    outputTokens: toCount(u.completion_tokens ?? u.output_tokens) ?? 0,
    cacheReadTokens: toCount(rec(u.prompt_tokens_details ?? u.input_tokens_details).cached_tokens) ?? 0,
    cacheWriteTokens: 0,
    reasoningTokens:
      toCount(rec(u.completion_tokens_details ?? u.output_tokens_details).reasoning_tokens) ?? 0,
  };
}

function anthropicUsage(u: Record<string, unknown>, prior?: Usage): Usage {
  const read = toCount(u.cache_read_input_tokens) ?? prior?.cacheReadTokens ?? 0;
  const write = toCount(u.cache_creation_input_tokens) ?? prior?.cacheWriteTokens ?? 0;
  const fresh = toCount(u.input_tokens);
  return {
    inputTokens: fresh === undefined ? (prior?.inputTokens ?? 0) : fresh + read + write,
    outputTokens: toCount(u.output_tokens) ?? prior?.outputTokens ?? 0,
    cacheReadTokens: read,
    cacheWriteTokens: write,
    reasoningTokens: 0,
  };
}

/** One streamed choice being assembled. */
interface Draft {
  text: string;
  tools: Map<number, { id?: string; name?: string; arguments: string }>;
  finishReason?: string;
}

/** Reads one answer; feed it JSON (`readJson`) or stream events (`readEvent`), then take `facts()`. */
export class AnswerReader {
  readonly #operation: Operation;
  readonly #drafts = new Map<number, Draft>();
  #facts: AnswerFacts = {
    responseModel: '',
    responseId: '',
    output: undefined,
    finishReasons: [],
    usage: undefined,
    logprobs: [],
    streamError: undefined,
  };
  /** Arrival times (ms, performance.now()) of the events that carried output. */
  readonly tokenTimes: number[] = [];

  constructor(operation: Operation) {
    this.#operation = operation;
  }

  #draft(index: number): Draft {
    let draft = this.#drafts.get(index);
    if (!draft) {
      draft = { text: '', tools: new Map() };
      this.#drafts.set(index, draft);
    }
    return draft;
  }

  /** Reads a whole (non-streamed) JSON answer. */
  readJson(json: unknown): void {
    const body = rec(json);
    const f = this.#facts;
    f.responseModel = toText(body.model) ?? '';
    f.responseId = toText(body.id) ?? '';
    if (this.#operation === 'messages') {
      f.usage = anthropicUsage(rec(body.usage));
      f.output = toMessages({ role: 'assistant', content: body.content }, { role: 'assistant' });
      const stop = toText(body.stop_reason);
      if (stop) f.finishReasons = [stop];
      return;
    }
    if (isRecord(body.usage)) f.usage = openaiUsage(body.usage);
    if (this.#operation === 'responses') {
      f.output = toMessages(body.output, { role: 'assistant' });
      const status = toText(body.status);
      if (status) f.finishReasons = [status];
      return;
    }
    if (this.#operation === 'embeddings') return;
    const choices = Array.isArray(body.choices) ? body.choices.map(rec) : [];
    f.output = choices.flatMap((c) => {
      const message = this.#operation === 'chat' ? c.message : { role: 'assistant', content: c.text };
      const messages = toMessages(message, { role: 'assistant' }) ?? [];
      const reason = toText(c.finish_reason);
      return reason ? messages.map((m) => ({ ...m, finishReason: reason })) : messages;
    });
    f.finishReasons = choices.map((c) => toText(c.finish_reason)).filter((r): r is string => !!r);
    for (const c of choices) this.#takeLogprobs(c.logprobs);
  }

  #takeLogprobs(value: unknown): void {
    const content = rec(value).content;
    if (!Array.isArray(content)) return;
    for (const t of content.map(rec)) {
      const token = toText(t.token);
      if (token !== undefined && typeof t.logprob === 'number')
        this.#facts.logprobs.push({ token, logprob: t.logprob });
    }
  }

  /** Reads one stream event that arrived at `atMs`. */
  readEvent(event: string | undefined, data: string, atMs: number): void {
    if (data === '' || data === '[DONE]') return;
    let json: Record<string, unknown>;
    try {
      json = rec(JSON.parse(data));
    } catch {
      return;
    }
    if (event === 'error' || isRecord(json.error)) {
      this.#facts.streamError = toText(rec(json.error).message) ?? 'the provider sent an error event';
      return;
    }
    const hadOutput =
      this.#operation === 'messages'
        ? this.#anthropicEvent(json)
        : this.#operation === 'responses'
          ? this.#responsesEvent(json)
          : this.#openaiChunk(json);
    if (hadOutput) this.tokenTimes.push(atMs);
  }

  #openaiChunk(json: Record<string, unknown>): boolean {
    const f = this.#facts;
    f.responseModel ||= toText(json.model) ?? '';
    f.responseId ||= toText(json.id) ?? '';
    if (isRecord(json.usage)) f.usage = openaiUsage(json.usage);
    let hadOutput = false;
    for (const c of Array.isArray(json.choices) ? json.choices.map(rec) : []) {
      const draft = this.#draft(toCount(c.index) ?? 0);
      const delta = this.#operation === 'chat' ? rec(c.delta) : { content: c.text };
      const text = toText(delta.content);
      if (text) {
        draft.text += text;
        hadOutput = true;
      }
      for (const call of Array.isArray(delta.tool_calls) ? delta.tool_calls.map(rec) : []) {
        const slot = draft.tools.get(toCount(call.index) ?? 0) ?? { arguments: '' };
        const fn = rec(call.function);
        slot.id ??= toText(call.id);
        slot.name ??= toText(fn.name);
        slot.arguments += toText(fn.arguments) ?? '';
        draft.tools.set(toCount(call.index) ?? 0, slot);
        hadOutput = true;
      }
      draft.finishReason = toText(c.finish_reason) ?? draft.finishReason;
      this.#takeLogprobs(c.logprobs);
    }
    return hadOutput;
  }

  #responsesEvent(json: Record<string, unknown>): boolean {
    const type = toText(json.type) ?? '';
    if (type === 'response.output_text.delta' || type === 'response.function_call_arguments.delta')
      return true;
    if (type === 'response.completed' || type === 'response.incomplete' || type === 'response.failed')
      this.readJson(json.response);
    return false;
  }

  #anthropicEvent(json: Record<string, unknown>): boolean {
    const f = this.#facts;
    const type = toText(json.type);
    if (type === 'message_start') {
      const message = rec(json.message);
      f.responseModel = toText(message.model) ?? '';
      f.responseId = toText(message.id) ?? '';
      f.usage = anthropicUsage(rec(message.usage));
    } else if (type === 'content_block_start') {
      const block = rec(json.content_block);
      const draft = this.#draft(0);
      if (block.type === 'tool_use')
        draft.tools.set(toCount(json.index) ?? 0, {
          id: toText(block.id),
          name: toText(block.name),
          arguments: '',
        });
    } else if (type === 'content_block_delta') {
      const delta = rec(json.delta);
      const draft = this.#draft(0);
      if (delta.type === 'text_delta') draft.text += toText(delta.text) ?? '';
      else if (delta.type === 'input_json_delta') {
        const slot = draft.tools.get(toCount(json.index) ?? 0);
        if (slot) slot.arguments += toText(delta.partial_json) ?? '';
      }
      return true;
    } else if (type === 'message_delta') {
      f.usage = anthropicUsage(rec(json.usage), f.usage);
      this.#draft(0).finishReason = toText(rec(json.delta).stop_reason) ?? undefined;
    }
    return false;
  }

  /** The facts read so far (stream drafts assembled into output messages). */
  facts(): AnswerFacts {
    if (this.#drafts.size === 0) return this.#facts;
    const output: Message[] = [];
    for (const [, draft] of [...this.#drafts].sort((a, b) => a[0] - b[0])) {
      const parts: MessagePart[] = [];
      if (draft.text) parts.push({ type: 'text', content: draft.text });
      for (const [, t] of [...draft.tools].sort((a, b) => a[0] - b[0]))
        parts.push({ type: 'tool_call', id: t.id, name: t.name, arguments: parseArguments(t.arguments) });
      output.push({
        role: 'assistant',
        parts,
        ...(draft.finishReason ? { finishReason: draft.finishReason } : {}),
      });
    }
    const finishReasons = output.map((m) => m.finishReason).filter((r): r is string => r !== undefined);
    return { ...this.#facts, output, finishReasons };
  }
}
