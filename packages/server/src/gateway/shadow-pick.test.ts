/** Which calls a shadow picks (a draw against its share, its model) and the text a pair is scored on. */
import type { GatewayShadow } from '@argus/shared';
import { describe, expect, it } from 'vitest';
import type { Call } from './finish.ts';
import { pickShadows } from './shadow-queue.ts';
import { answerText, itemInput } from './shadow-record.ts';

function shadow(name: string, model: string, share: number): GatewayShadow {
  return {
    name,
    model,
    candidate: { model: 'candidate' },
    share,
    evaluators: [],
    maxPairs: 10,
    concurrency: 1,
    queue: 1,
    datasetId: 'd',
    primaryExperimentId: `${name}-p`,
    candidateExperimentId: `${name}-c`,
    createdAt: '',
    updatedAt: '',
  };
}

function callFor(model: string, operation: Call['endpoint']['operation'] = 'chat') {
  return {
    projectId: 'default',
    facts: { model } as Call['facts'],
    endpoint: { operation, dialect: 'openai', path: 'chat/completions' } as Call['endpoint'],
  };
}

const open = () => true;

describe('pickShadows', () => {
  it.each([
    // The draw must fall under the share: 0.3 < 0.5 picks, 0.7 does not.
    ['under the share', 0.5, 0.3, true],
    ['over the share', 0.5, 0.7, false],
    // Share 0 never picks, even on a draw of 0; share 1 always picks (draws are < 1).
    ['share 0', 0, 0, false],
    ['share 1', 1, 0.999_999, true],
  ])('%s', (_, share, draw, picked) => {
    const result = pickShadows([shadow('s', 'gpt-4o', share)], callFor('gpt-4o'), () => draw, open);
    expect(result?.map((s) => s.name)).toEqual(picked ? ['s'] : undefined);
  });

  it('matches the model exactly or by glob, and each shadow draws on its own', () => {
    const shadows = [
      shadow('exact', 'gpt-4o', 1),
      shadow('glob', 'gpt-4*', 1),
      shadow('other', 'claude-*', 1),
    ];
    expect(pickShadows(shadows, callFor('gpt-4o'), () => 0.5, open)?.map((s) => s.name)).toEqual([
      'exact',
      'glob',
    ]);
    expect(pickShadows(shadows, callFor('gpt-4o-mini'), () => 0.5, open)?.map((s) => s.name)).toEqual([
      'glob',
    ]);
  });

  it('never picks embeddings, nor a shadow that takes no more pairs', () => {
    const shadows = [shadow('s', 'gpt-4o', 1)];
    expect(pickShadows(shadows, callFor('gpt-4o', 'embeddings'), () => 0, open)).toBeUndefined();
    expect(
      pickShadows(
        shadows,
        callFor('gpt-4o'),
        () => 0,
        () => false,
      ),
    ).toBeUndefined();
    expect(pickShadows(undefined, callFor('gpt-4o'), () => 0, open)).toBeUndefined();
  });
});

describe('answerText', () => {
  it.each([
    // Text parts of every message, joined.
    [
      [
        {
          role: 'assistant',
          parts: [
            { type: 'text', content: 'Par' },
            { type: 'text', content: 'is' },
          ],
        },
      ],
      'Paris',
    ],
    // Only tool calls: the parts themselves, so the pair is still compared on something.
    [
      [{ role: 'assistant', parts: [{ type: 'tool_call', name: 'f', arguments: {} }] }],
      [{ type: 'tool_call', name: 'f', arguments: {} }],
    ],
    // Not messages: as it is.
    ['plain', 'plain'],
  ])('reads %j', (output, text) => {
    expect(answerText(output)).toEqual(text);
  });
});

describe('itemInput', () => {
  it.each([
    // One user message: its text, as a dataset's input usually is.
    [[{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }], 'Hi'],
    // A conversation: role and text of each message.
    [
      [
        { role: 'system', parts: [{ type: 'text', content: 'Be brief.' }] },
        { role: 'user', parts: [{ type: 'text', content: 'Hi' }] },
      ],
      [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
    ],
    // Not messages (a raw prompt): as it is.
    ['Say hello', 'Say hello'],
  ])('reads %j', (input, expected) => {
    expect(itemInput(input)).toEqual(expected);
  });
});
