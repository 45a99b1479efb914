import { describe, expect, it } from 'vitest';
import { isArgusError } from '../errors.ts';
import { boundaryOf, parseMultipart } from './multipart.ts';
import { runsFromParts } from './multipart-runs.ts';

const B = '----LangSmithFormBoundaryx1';
const ID = '01a1fcb2-ef4e-7000-8000-013879bf5cb1';

/** A body as the JS SDK streams it. */
function body(parts: [name: string, content: string, type?: string][], boundary = B): Buffer {
  const chunks = parts.map(
    ([name, content, type = `application/json; length=${content.length}`]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\nContent-Type: ${type}\r\n\r\n${content}\r\n`,
  );
  return Buffer.from(`${chunks.join('')}--${boundary}--\r\n`);
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isArgusError(error) ? error.code : 'not an ArgusError';
  }
  return undefined;
}

describe('boundaryOf', () => {
  it.each([
    { type: `multipart/form-data; boundary=${B}`, boundary: B },
    { type: 'multipart/form-data; charset=utf-8; boundary="quoted b"', boundary: 'quoted b' },
  ])('reads $type', ({ type, boundary }) => {
    expect(boundaryOf(type)).toBe(boundary);
  });

  it.each([
    { type: 'application/json', code: 'UNSUPPORTED_MEDIA_TYPE' },
    { type: 'multipart/form-data', code: 'BAD_REQUEST' },
    { type: `multipart/form-data; boundary=${'x'.repeat(71)}`, code: 'BAD_REQUEST' },
  ])('rejects $type', ({ type, code }) => {
    expect(codeOf(() => boundaryOf(type))).toBe(code);
  });
});

describe('parseMultipart', () => {
  it('splits parts, keeps binary bodies exact and ignores a preamble', () => {
    const raw = body([
      ['post.a', '{"x":1}'],
      ['attachment.a.img', '\u0000\r\n--not-a-boundary\r\n', 'image/png; length=20'],
    ]);
    const parts = parseMultipart(Buffer.concat([Buffer.from('preamble\r\n'), raw]), B);
    expect(parts.map((p) => [p.name, p.contentType, p.body.toString()])).toEqual([
      ['post.a', 'application/json; length=7', '{"x":1}'],
      ['attachment.a.img', 'image/png; length=20', '\u0000\r\n--not-a-boundary\r\n'],
    ]);
  });

  it.each([
    { why: 'no boundary in the body', raw: Buffer.from('hello'), limits: undefined },
    // Cut mid-part: the SDK's stream broke.
    { why: 'truncated body', raw: body([['post.a', '{}']]).subarray(0, 60), limits: undefined },
    {
      why: 'too many parts',
      raw: body([
        ['a', '1'],
        ['b', '2'],
        ['c', '3'],
      ]),
      limits: { maxParts: 2, maxHeaderBytes: 1024 },
    },
    {
      why: 'oversized part headers',
      raw: body([['a'.repeat(200), '1']]),
      limits: { maxParts: 10, maxHeaderBytes: 64 },
    },
    {
      why: 'a part without a name',
      raw: Buffer.from(`--${B}\r\nContent-Type: text/plain\r\n\r\nx\r\n--${B}--\r\n`),
      limits: undefined,
    },
  ])('rejects $why with BAD_REQUEST', ({ raw, limits }) => {
    expect(codeOf(() => parseMultipart(raw, B, limits))).toBe('BAD_REQUEST');
  });
});

describe('runsFromParts', () => {
  it('reassembles runs from their parts, counts attachments and collects feedback', () => {
    const parts = parseMultipart(
      body([
        [
          `post.${ID}`,
          JSON.stringify({ id: ID, name: 'root', start_time: '2026-01-01T00:00:00Z', inputs: { stale: 1 } }),
        ],
        [`post.${ID}.inputs`, '{"question":"hi"}'],
        [`patch.${ID}`, JSON.stringify({ end_time: '2026-01-01T00:00:01Z' })],
        [`patch.${ID}.outputs`, '{"answer":"yo"}'],
        [`attachment.${ID}.photo`, 'bytes', 'image/png; length=5'],
        [`feedback.${ID}`, JSON.stringify({ key: 'thumbs', score: 1 })],
        ['mystery.part', '{}'],
      ]),
      B,
    );
    const runs = runsFromParts(parts);
    expect(runs.posts).toEqual([
      { id: ID, name: 'root', start_time: '2026-01-01T00:00:00Z', inputs: { question: 'hi' } },
    ]);
    expect(runs.patches).toEqual([{ id: ID, end_time: '2026-01-01T00:00:01Z', outputs: { answer: 'yo' } }]);
    expect(runs.attachments).toBe(1);
    expect(runs.unknownParts).toBe(1);
    expect(runs.feedback).toEqual([{ id: ID, key: 'thumbs', score: 1 }]);
  });

  it.each([
    { why: 'a part that is not JSON', parts: [[`post.${ID}`, '{nope']] },
    { why: 'a run part that is a list', parts: [[`post.${ID}`, '[]']] },
    { why: 'a run whose id differs from its part name', parts: [[`post.${ID}`, '{"id":"other"}']] },
    { why: 'a part name that is not a UUID', parts: [['post.run-1', '{}']] },
  ])('rejects $why with INVALID_RUN', ({ parts }) => {
    const parsed = parseMultipart(body(parts as [string, string][]), B);
    expect(codeOf(() => runsFromParts(parsed))).toBe('INVALID_RUN');
  });
});
