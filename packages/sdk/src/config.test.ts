import { describe, expect, it } from 'vitest';
import { parseHeaderList, resolveConfig } from './config.ts';

describe('resolveConfig', () => {
  it.each([
    // Nothing set: the local Argus default.
    [{}, {}, 'http://127.0.0.1:4318', 'http://127.0.0.1:4318/v1/traces'],
    // The option wins over every variable; trailing slashes are dropped.
    [
      { endpoint: 'https://argus.example.com/' },
      { ARGUS_ENDPOINT: 'http://a:1', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://o:2' },
      'https://argus.example.com',
      'https://argus.example.com/v1/traces',
    ],
    // ARGUS_ENDPOINT wins over the OTLP variables.
    [
      {},
      { ARGUS_ENDPOINT: 'http://a:1', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://o:2' },
      'http://a:1',
      'http://a:1/v1/traces',
    ],
    // The traces variable is a full URL, used as is (OTel spec), and beats the base variable.
    [
      {},
      {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:3/v1/traces',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://o:2',
      },
      'http://t:3',
      'http://t:3/v1/traces',
    ],
    [{}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://o:2/base' }, 'http://o:2/base', 'http://o:2/base/v1/traces'],
    // An invalid option falls through to the environment.
    [{ endpoint: 'ftp://x' }, { ARGUS_ENDPOINT: 'http://a:1' }, 'http://a:1', 'http://a:1/v1/traces'],
  ])('endpoint from %j and %j', (options, env, endpoint, tracesUrl) => {
    expect(resolveConfig(options, env)).toMatchObject({ endpoint, tracesUrl });
  });

  it('builds headers from OTEL_EXPORTER_OTLP_HEADERS, options and the API key', () => {
    const config = resolveConfig(
      { headers: { 'X-Team': 'search' } },
      { OTEL_EXPORTER_OTLP_HEADERS: 'x-team=ml,x-note=a%20b', ARGUS_API_KEY: 'k-123' },
    );
    expect(config.headers).toEqual({ 'x-team': 'search', 'x-note': 'a b', authorization: 'Bearer k-123' });
    expect(resolveConfig({ apiKey: 'opt' }, { ARGUS_API_KEY: 'env' }).headers.authorization).toBe(
      'Bearer opt',
    );
  });

  it('reads service, environment, capture and sampling from the environment', () => {
    const config = resolveConfig(
      {},
      {
        OTEL_SERVICE_NAME: 'svc',
        ARGUS_ENVIRONMENT: 'staging',
        ARGUS_CAPTURE_CONTENT: 'false',
        ARGUS_SAMPLE_RATE: '0.25',
      },
    );
    expect(config).toMatchObject({
      serviceName: 'svc',
      environment: 'staging',
      captureContent: false,
      sampleRate: 0.25,
    });
    expect(resolveConfig({ captureContent: true }, { ARGUS_CAPTURE_CONTENT: '0' }).captureContent).toBe(true);
  });

  it('replaces invalid numbers by defaults and freezes the result', () => {
    const config = resolveConfig(
      { sampleRate: -1, maxQueueSize: 0, exportTimeoutMs: Number.POSITIVE_INFINITY },
      {},
    );
    expect(config).toMatchObject({ sampleRate: 1, maxQueueSize: 2048, exportTimeoutMs: 10_000 });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.headers)).toBe(true);
  });
});

describe('parseHeaderList', () => {
  it.each([
    ['a=1,b=2', { a: '1', b: '2' }],
    // Values may contain '=' (base64); names are lower-cased; blanks and pairs without '=' skipped.
    [' Authorization = Basic dXNlcjpwYXNz== , junk,', { authorization: 'Basic dXNlcjpwYXNz==' }],
    // A malformed escape is kept as written instead of throwing.
    ['x=%E0%A4%A', { x: '%E0%A4%A' }],
    ['', {}],
  ])('%j', (raw, expected) => {
    expect(parseHeaderList(raw)).toEqual(expected);
  });
});
