import { describe, expect, it } from 'vitest';
import { isLoopbackHost, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('takes flags over the environment over defaults', () => {
    expect(loadConfig({}, {}).port).toBe(4318);
    expect(loadConfig({}, { ARGUS_PORT: '5000' }).port).toBe(5000);
    expect(loadConfig({ port: '6000' }, { ARGUS_PORT: '5000' }).port).toBe(6000);
  });

  it('caps the TSV bytes of one insert at 16 MiB unless told otherwise (issue 20, memory)', () => {
    expect(loadConfig({}, {}).writerMaxBatchBytes).toBe(16 * 1024 * 1024);
    expect(loadConfig({}, { ARGUS_WRITER_MAX_BATCH_BYTES: '8388608' }).writerMaxBatchBytes).toBe(8388608);
    expect(loadConfig({ writerMaxBatchBytes: '33554432' }, {}).writerMaxBatchBytes).toBe(33554432);
    expect(() => loadConfig({ writerMaxBatchBytes: '1000' }, {})).toThrow(
      /'writerMaxBatchBytes' from flag --writer-max-batch-bytes/,
    );
  });

  it('names the option, its source and the problem', () => {
    expect(() => loadConfig({}, { ARGUS_PORT: 'eighty' })).toThrow(/'port' from env ARGUS_PORT is "eighty"/);
    expect(() => loadConfig({ sessionIdleSeconds: 0 })).toThrow(
      /'sessionIdleSeconds' from flag --session-idle-seconds/,
    );
    expect(() => loadConfig({ adminPassword: 'short' })).toThrow(/at least 12 characters/);
    expect(() => loadConfig({ auth: 'maybe' })).toThrow(/'auth'/);
    expect(() => loadConfig({ insecure: 'yes' })).toThrow(/'insecure'/);
  });

  it('turns authentication off on loopback and on elsewhere by default', () => {
    expect(loadConfig({}, {}).authMode).toBe('off');
    expect(loadConfig({ host: 'localhost' }, {}).authMode).toBe('off');
    expect(loadConfig({ host: '0.0.0.0' }, {}).authMode).toBe('on');
    expect(loadConfig({ host: '192.168.1.4' }, {}).authMode).toBe('on');
    expect(loadConfig({ auth: 'on' }, {}).authMode).toBe('on');
  });

  it('refuses auth off beyond loopback unless insecure is given', () => {
    expect(() => loadConfig({ host: '0.0.0.0', auth: 'off' }, {})).toThrow(/Refusing to start.*--insecure/);
    expect(() => loadConfig({ host: '::', auth: 'off' }, {})).toThrow(/Refusing to start/);
    const open = loadConfig({ host: '0.0.0.0', auth: 'off', insecure: 'true' }, {});
    expect(open.authMode).toBe('off');
    expect(open.insecure).toBe(true);
    expect(loadConfig({}, { ARGUS_HOST: '0.0.0.0', ARGUS_AUTH: 'off', ARGUS_INSECURE: '1' }).authMode).toBe(
      'off',
    );
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.1', false],
    ['127.0.0.1.example.com', false],
    ['localhost.example.com', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
