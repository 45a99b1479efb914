/**
 * Server-sent events across chunk boundaries: the gateway passes the provider's bytes on as they
 * come and reads a copy here, event by event. An event ends at a blank line (`\n\n`, `\r\n\r\n`).
 */

/** One event: its `event:` name (if any) and its `data:` lines joined by `\n`. */
export interface SseEvent {
  event: string | undefined;
  data: string;
}

/** Splits text into complete event blocks, holding an unfinished tail for the next chunk. */
export class SseSplitter {
  #tail = '';

  /** The complete blocks the chunk finishes (raw text, without the blank line). */
  push(chunk: string): string[] {
    const text = this.#tail + chunk;
    const blocks: string[] = [];
    let start = 0;
    for (;;) {
      const lf = text.indexOf('\n\n', start);
      const crlf = text.indexOf('\r\n\r\n', start);
      const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf : lf;
      if (end < 0) break;
      blocks.push(text.slice(start, end));
      start = end + (end === crlf ? 4 : 2);
    }
    this.#tail = text.slice(start);
    return blocks;
  }

  /** True while part of an event is held (a comment may not be put in here). */
  hasTail(): boolean {
    return this.#tail !== '';
  }

  /** What is left when the stream ends (an event without its blank line), if anything. */
  rest(): string | undefined {
    const rest = this.#tail.trim();
    this.#tail = '';
    return rest === '' ? undefined : rest;
  }
}

/** Parses one block; comments and other fields are ignored. */
export function parseSseBlock(block: string): SseEvent {
  let event: string | undefined;
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith('data:')) data.push(line.slice(line[5] === ' ' ? 6 : 5));
    else if (line.startsWith('event:')) event = line.slice(6).trim();
  }
  return { event, data: data.join('\n') };
}
