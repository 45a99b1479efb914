import type { Span } from '@argus/shared';
import { describe, expect, it } from 'vitest';
import type { MetadataStore } from '../store/metadata/metadata-store.ts';
import { DEFAULT_POLICY } from './index.ts';
import { createSpanPipeline, HASH_KEY_SETTING, resolveHashKey } from './pipeline.ts';

/** An in-memory stand-in for the settings part of the metadata store. */
function fakeMetadata(): MetadataStore {
  const settings = new Map<string, unknown>();
  return {
    getSetting: async (project: string, key: string) => settings.get(`${project}/${key}`),
    setSetting: async (project: string, key: string, value: unknown) => {
      settings.set(`${project}/${key}`, value);
    },
  } as unknown as MetadataStore;
}

describe('createSpanPipeline', () => {
  it('redacts before enriching, and only enriches when off', () => {
    const seen: string[] = [];
    const enrich = (span: Span) => {
      seen.push(span.statusMessage);
      return span;
    };
    const on = createSpanPipeline({ enrich, policy: DEFAULT_POLICY, hashKey: 'k' });
    const off = createSpanPipeline({ enrich });
    const span = () =>
      ({ statusMessage: 'a@b.io', metadata: {}, attributes: {}, events: [] }) as unknown as Span;
    on.enrichSpan(span());
    off.enrichSpan(span());
    expect(seen).toEqual(['[REDACTED:email]', 'a@b.io']);
  });
});

describe('resolveHashKey', () => {
  it('prefers the configured key', async () => {
    expect(await resolveHashKey('configured-key-0123', fakeMetadata())).toBe('configured-key-0123');
  });

  it('generates a key once and returns the stored one afterwards', async () => {
    const metadata = fakeMetadata();
    const first = await resolveHashKey(undefined, metadata);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await resolveHashKey(undefined, metadata)).toBe(first);
    expect(await metadata.getSetting('default', HASH_KEY_SETTING)).toBe(first);
  });
});
