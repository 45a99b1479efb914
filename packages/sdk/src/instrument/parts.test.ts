import { describe, expect, it } from 'vitest';
import { mediaPart, schemaFinishReason, toolArguments } from './parts.ts';

describe('parts', () => {
  it('turns data URLs into blob parts and other URLs into uri parts', () => {
    expect(mediaPart('data:image/png;base64,iVBORw0KGgo=', 'image')).toEqual({
      type: 'blob',
      modality: 'image',
      mime_type: 'image/png',
      content: 'iVBORw0KGgo=',
    });
    expect(mediaPart('https://example.com/cat.jpg', 'image')).toEqual({
      type: 'uri',
      modality: 'image',
      uri: 'https://example.com/cat.jpg',
    });
  });

  it.each([
    ['tool_calls', 'tool_call'],
    ['tool_use', 'tool_call'],
    ['end_turn', 'stop'],
    ['max_tokens', 'length'],
    ['stop', 'stop'],
    ['content_filter', 'content_filter'],
    // Unknown provider reasons pass through (the schema allows any string).
    ['pause_turn', 'pause_turn'],
  ])('maps finish reason %s → %s', (raw, expected) => {
    expect(schemaFinishReason(raw)).toBe(expected);
  });

  it('parses JSON tool arguments and keeps broken JSON as text', () => {
    expect(toolArguments('{"city":"Paris"}')).toEqual({ city: 'Paris' });
    expect(toolArguments('{"city":')).toBe('{"city":');
    expect(toolArguments({ already: 'object' })).toEqual({ already: 'object' });
  });
});
