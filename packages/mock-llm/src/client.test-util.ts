/** Plain-fetch helpers for the mock's tests. */

/** One parsed server-sent event. */
export interface ParsedEvent {
  event?: string;
  data: string;
}

/** Splits an SSE body into events. */
export function parseSse(text: string): ParsedEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const parsed: ParsedEvent = { data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) parsed.event = line.slice(7);
        else if (line.startsWith('data: ')) parsed.data += line.slice(6);
      }
      return parsed;
    });
}

/** POSTs JSON and answers status, headers and the JSON (or SSE text) body. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  const isSse = response.headers.get('content-type')?.startsWith('text/event-stream') ?? false;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response JSON
  const json: any = isSse ? undefined : JSON.parse(text);
  return { status: response.status, headers: response.headers, json, events: isSse ? parseSse(text) : [] };
}
