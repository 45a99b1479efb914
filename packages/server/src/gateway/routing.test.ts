import type { GatewayAlias } from '@argus/shared';
import { describe, expect, it } from 'vitest';
import { withDefaults } from './repository.ts';
import { type ProjectRoutes, planRoute, type RouteConnection } from './routing.ts';

function conn(id: string, provider: RouteConnection['provider'], models: string[]): RouteConnection {
  return {
    id,
    name: id,
    provider,
    models,
    target: { provider, apiKey: '', headers: {}, baseUrl: 'http://x' },
  };
}

const connections = [
  conn('openai', 'openai', ['gpt-4o*']),
  conn('vllm', 'openai-compatible', ['llama-3*', 'gpt-4o-mini']),
  conn('any', 'openai-compatible', []),
  conn('claude', 'anthropic', ['claude-*']),
];

function routes(aliases: GatewayAlias[] = [], defaultConnectionId?: string): ProjectRoutes {
  return {
    settings: withDefaults(defaultConnectionId ? { defaultConnectionId } : {}),
    aliases: new Map(aliases.map((a) => [a.name, a])),
    connections,
  };
}

const ids = (r: ProjectRoutes, model: string, dialect: 'openai' | 'anthropic' = 'openai', random = () => 0) =>
  planRoute(r, { model, dialect }, { random }).map((c) => `${c.connection.id}:${c.model}`);

describe('planRoute', () => {
  it.each([
    // Listed by glob on one connection and exactly on another: both, in connection order, then the catch-all.
    ['gpt-4o-mini', 'openai', ['openai:gpt-4o-mini', 'vllm:gpt-4o-mini', 'any:gpt-4o-mini']],
    // Only the catch-all (no models listed) serves an unknown OpenAI-family model.
    ['mistral-7b', 'openai', ['any:mistral-7b']],
    // The Anthropic endpoint only goes to Anthropic connections.
    ['claude-haiku-4-5', 'anthropic', ['claude:claude-haiku-4-5']],
    ['gpt-4o', 'anthropic', []],
  ] as const)('routes %s on the %s endpoint to %j', (model, dialect, expected) => {
    expect(ids(routes(), model, dialect)).toEqual(expected);
  });

  it('adds the default connection last when it speaks the dialect', () => {
    const noCatchAll: ProjectRoutes = {
      ...routes([], 'openai'),
      connections: connections.filter((c) => c.id !== 'any'),
    };
    expect(ids(noCatchAll, 'llama-3-8b')).toEqual(['vllm:llama-3-8b', 'openai:llama-3-8b']);
  });

  it('picks an alias target by weight and keeps the others as fallbacks, heaviest first', () => {
    const alias: GatewayAlias = {
      name: 'fast',
      updatedAt: '',
      targets: [
        { connectionId: 'openai', model: 'gpt-4o-mini', weight: 1 },
        { connectionId: 'vllm', model: 'llama-3-8b', weight: 3 },
        { connectionId: 'any', model: 'phi-3', weight: 2 },
      ],
    };
    // random() in [0, 1/6) falls on the first target (weight 1 of 6), [1/6, 4/6) on the second …
    expect(ids(routes([alias]), 'fast', 'openai', () => 0.1)).toEqual([
      'openai:gpt-4o-mini',
      'vllm:llama-3-8b',
      'any:phi-3',
    ]);
    expect(ids(routes([alias]), 'fast', 'openai', () => 0.5)).toEqual([
      'vllm:llama-3-8b',
      'any:phi-3',
      'openai:gpt-4o-mini',
    ]);
    expect(ids(routes([alias]), 'fast', 'openai', () => 0.9)).toEqual([
      'any:phi-3',
      'vllm:llama-3-8b',
      'openai:gpt-4o-mini',
    ]);
  });

  it('moves cooling connections to the back instead of dropping them', () => {
    const planned = planRoute(
      routes(),
      { model: 'gpt-4o-mini', dialect: 'openai' },
      { isCooling: (id) => id === 'openai' },
    );
    expect(planned.map((c) => c.connection.id)).toEqual(['vllm', 'any', 'openai']);
  });
});
