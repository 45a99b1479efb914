/** Spans and logs carrying PII and secrets, for the redaction end-to-end tests. */
import { chatSpanJson, randomHex, tracesRequestJson } from './otlp-json.ts';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The raw values that must never be stored under the default policy. */
export const PII = {
  email: 'grace.hopper@navy.example.com',
  card: '4111 1111 1111 1111',
  apiKey: 'sk-proj-Zx81LmQ4rT7vB2nK9sD3fH6jW0pY5cE1',
  jwt: `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'user-17' })}.c2lnbmF0dXJlLXNpZ25hdHVyZQ`,
} as const;

/** A chat span with PII in the prompt, the completion, a tool argument and an attribute. */
export function piiSpanJson(traceId: string) {
  const span = chatSpanJson(traceId, randomHex(8));
  const input = [
    { role: 'user', parts: [{ type: 'text', content: `I am ${PII.email}, my card is ${PII.card}` }] },
    {
      role: 'assistant',
      parts: [
        { type: 'tool_call', id: 'call_1', name: 'charge', arguments: { card: PII.card, token: PII.jwt } },
      ],
    },
  ];
  const output = [
    { role: 'assistant', parts: [{ type: 'text', content: `Use key ${PII.apiKey} and mail ${PII.email}` }] },
  ];
  const attributes = span.attributes.filter((a) => !a.key.endsWith('.messages'));
  attributes.push(
    { key: 'gen_ai.input.messages', value: { stringValue: JSON.stringify(input) } },
    { key: 'gen_ai.output.messages', value: { stringValue: JSON.stringify(output) } },
    { key: 'app.session_token', value: { stringValue: `Bearer-less ${PII.jwt}` } },
    { key: 'app.contact', value: { stringValue: PII.email } },
  );
  return { ...span, attributes };
}

/** An ExportTraceServiceRequest with one {@link piiSpanJson}. */
export function piiTracesBody(traceId: string): string {
  return tracesRequestJson([piiSpanJson(traceId)], 'pii-test');
}

/** An ExportLogsServiceRequest whose record body holds an e-mail and a key. */
export function piiLogsBody(traceId: string): string {
  return JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'pii-test' } }] },
        scopeLogs: [
          {
            scope: { name: 'argus-test' },
            logRecords: [
              {
                timeUnixNano: (BigInt(Date.now()) * 1_000_000n).toString(),
                traceId,
                body: { stringValue: `login by ${PII.email} with ${PII.apiKey}` },
                attributes: [],
              },
            ],
          },
        ],
      },
    ],
  });
}

/** SQL counting stored spans whose content or attributes contain `{v:String}`. */
export const SPANS_CONTAINING =
  'SELECT count() AS n FROM spans WHERE position(input, {v:String}) > 0 OR position(output, {v:String}) > 0 OR position(attributes, {v:String}) > 0 OR position(system_instructions, {v:String}) > 0 OR position(status_message, {v:String}) > 0';
/** SQL counting stored log records whose body, content or attributes contain `{v:String}`. */
export const LOGS_CONTAINING =
  'SELECT count() AS n FROM logs WHERE position(body, {v:String}) > 0 OR position(content, {v:String}) > 0 OR position(attributes, {v:String}) > 0';

/** Posts a JSON OTLP body; throws unless 200. */
export async function postJson(url: string, path: string, body: string): Promise<void> {
  const response = await fetch(url + path, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });
  if (response.status !== 200) throw new Error(`POST ${path} → ${response.status} ${await response.text()}`);
}
