/**
 * LangSmith feedback through `POST /feedback` (issue 11: the route was in the access table but
 * answered 404). The REAL `langsmith` JS client sends runs and then `createFeedback`, as a user
 * would; feedback becomes a score on the run's trace, with or without the trace id. Bad bodies
 * get a specific 4xx, and the route keeps the ingest level (viewer keys are refused).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spanIdOf } from '../src/langsmith/run.ts';
import { createKey, signIn } from './support/auth.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const ADMIN_PASSWORD = 'correct horse battery staple';
let argus: TestServer;
let ingestKey: string;
let viewerKey: string;
let client: import('langsmith').Client;
const rootId = randomUUID();
const childId = randomUUID();
const hex = (uuid: string) => uuid.replaceAll('-', '');
/** The `dotted_order` stamp of a time: `20260301T100000000001Z`. */
const stamp = (ms: number) =>
  `${new Date(ms).toISOString().replace(/[-:]/g, '').replace('.', '').slice(0, -1)}000Z`;

interface TraceScores {
  scores: Array<{ name: string; value: number; stringValue: string; comment: string; spanId: string }>;
}

beforeAll(async () => {
  argus = await startTestServer({ auth: 'on', adminPassword: ADMIN_PASSWORD });
  const admin = await signIn(argus.url, 'admin', ADMIN_PASSWORD);
  ingestKey = (await createKey(admin, 'default', 'ingest')).secretKey;
  viewerKey = (await createKey(admin, 'default', 'viewer')).secretKey;
  const { Client } = await import('langsmith');
  client = new Client({ apiUrl: argus.url, apiKey: ingestKey, autoBatchTracing: false });
  const start = Date.now() - 60_000;
  const common = { project_name: 'feedback-app', start_time: start, end_time: start + 500, trace_id: rootId };
  await client.createRun({
    ...common,
    id: rootId,
    name: 'pipeline',
    run_type: 'chain',
    inputs: { question: 'why' },
    outputs: { answer: 'because' },
    dotted_order: `${stamp(start)}${rootId}`,
  });
  await client.createRun({
    ...common,
    id: childId,
    parent_run_id: rootId,
    name: 'lookup',
    run_type: 'tool',
    inputs: { q: 'why' },
    outputs: { hits: 1 },
    dotted_order: `${stamp(start)}${rootId}.${stamp(start + 1)}${childId}`,
  });
}, 60_000);
afterAll(() => argus?.stop());

async function scoresOf(traceUuid: string): Promise<TraceScores['scores']> {
  const response = await fetch(`${argus.url}/api/v1/traces/${hex(traceUuid)}`, {
    headers: { authorization: `Bearer ${viewerKey}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as TraceScores).scores;
}

async function postFeedback(body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${argus.url}/feedback`, {
    method: 'POST',
    headers: { 'x-api-key': ingestKey, 'content-type': 'application/json', ...headers },
    body,
  });
  return {
    status: response.status,
    json: (await response.json()) as { error?: { code: string; message: string } },
  };
}

describe('POST /feedback from the real langsmith client', () => {
  it("stores feedback on a run named only by its id, on the run's trace and span", async () => {
    await client.createFeedback(rootId, 'helpful', { score: 1, comment: 'spot on' });
    await client.createFeedback(childId, 'relevant', { score: false, value: 'off topic' });
    const scores = await scoresOf(rootId);
    expect(scores).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'helpful', value: 1, comment: 'spot on', spanId: spanIdOf(rootId) }),
        expect.objectContaining({
          name: 'relevant',
          value: 0,
          stringValue: 'off topic',
          spanId: spanIdOf(childId),
        }),
      ]),
    );
  });

  it('stores feedback that names its trace without looking the run up', async () => {
    const unsent = randomUUID();
    // The run itself was never sent: the trace id given is enough to place the score.
    await client.createFeedback(unsent, 'thumbs', { score: 1, traceId: rootId });
    expect(await scoresOf(rootId)).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'thumbs', spanId: spanIdOf(unsent) })]),
    );
  });

  it('is also served under /api/v1 (the self-hosted base URL)', async () => {
    const prefixed = new (await import('langsmith')).Client({
      apiUrl: `${argus.url}/api/v1`,
      apiKey: ingestKey,
      autoBatchTracing: false,
    });
    await prefixed.createFeedback(rootId, 'prefixed', { score: 0.5 });
    expect(await scoresOf(rootId)).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'prefixed', value: 0.5 })]),
    );
  });
});

describe('POST /feedback refusals', () => {
  // Each case: a body the route cannot place, and the specific answer it gets.
  it.each([
    ['not JSON', '{', 400, 'BAD_REQUEST', 'not JSON'],
    ['not an object', '[1]', 400, 'BAD_REQUEST', 'not a JSON object'],
    ['no key', JSON.stringify({ run_id: randomUUID() }), 400, 'INVALID_PARAMETER', "'key'"],
    [
      'no run or trace',
      JSON.stringify({ key: 'k', score: 1 }),
      400,
      'INVALID_PARAMETER',
      'neither run_id nor trace_id',
    ],
    ['run id not a UUID', JSON.stringify({ key: 'k', run_id: 'abc' }), 400, 'INVALID_PARAMETER', "'run_id'"],
    ['unknown run', JSON.stringify({ key: 'k', run_id: randomUUID() }), 404, 'NOT_FOUND', 'is not stored'],
  ])('%s → %i %s', async (_name, body, status, code, message) => {
    const answer = await postFeedback(body);
    expect(answer.status).toBe(status);
    expect(answer.json.error?.code).toBe(code);
    expect(answer.json.error?.message).toContain(message);
  });

  it('refuses other content types with 415', async () => {
    const answer = await postFeedback('key=k', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(answer.status).toBe(415);
  });

  it('keeps the ingest level: a viewer key is refused, no credentials is 401', async () => {
    const body = JSON.stringify({ key: 'sneaky', trace_id: rootId, score: 1 });
    expect((await postFeedback(body, { 'x-api-key': viewerKey })).status).toBe(403);
    const anonymous = await fetch(`${argus.url}/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(anonymous.status).toBe(401);
    expect((await scoresOf(rootId)).map((s) => s.name)).not.toContain('sneaky');
  });
});
