import { describe, expect, it } from 'vitest';
import { parseSseBlock, SseSplitter } from './sse.ts';

describe('SseSplitter', () => {
  it('finds events across chunk boundaries, LF and CRLF alike', () => {
    const splitter = new SseSplitter();
    expect(splitter.push('data: {"a":1}\n\nda')).toEqual(['data: {"a":1}']);
    expect(splitter.hasTail()).toBe(true);
    expect(splitter.push('ta: [DONE]\r\n\r\nevent: x\ndata: 2')).toEqual(['data: [DONE]']);
    expect(splitter.push('\n\n')).toEqual(['event: x\ndata: 2']);
    expect(splitter.hasTail()).toBe(false);
    expect(splitter.rest()).toBeUndefined();
  });

  it('gives back an unfinished last event at the end', () => {
    const splitter = new SseSplitter();
    splitter.push('data: tail');
    expect(splitter.rest()).toBe('data: tail');
  });
});

describe('parseSseBlock', () => {
  it.each([
    ['data: {"x":1}', { event: undefined, data: '{"x":1}' }],
    // Anthropic names its events; the space after the colon is optional.
    [
      'event: message_stop\ndata:{"type":"message_stop"}',
      { event: 'message_stop', data: '{"type":"message_stop"}' },
    ],
    // Several data lines join with a newline; comments are skipped.
    [': ping\ndata: a\ndata: b', { event: undefined, data: 'a\nb' }],
  ])('reads %j', (block, expected) => {
    expect(parseSseBlock(block)).toEqual(expected);
  });
});
