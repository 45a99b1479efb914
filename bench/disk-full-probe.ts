/**
 * A real full disk under ingest (issue 11, finding 6): the data directory on a small tmpfs, spans
 * sent in batches of 100 over HTTP until the disk fills, each refused batch retried as an
 * exporter would, then space freed and the retries completed. Prints every answer that was not
 * 200, and whether spans, trace totals and the per-minute rollup each count every acknowledged
 * span exactly once.
 *
 * Needs root (it mounts a tmpfs); loopback only. Run: `node bench/disk-full-probe.ts`.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../packages/server/src/config.ts';
import { createLogger } from '../packages/server/src/logger.ts';
import { startServer } from '../packages/server/src/server.ts';

const mount = `/tmp/argus-disk-full-${process.pid}`;
mkdirSync(mount, { recursive: true });
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96m', 'tmpfs', mount], { stdio: 'ignore' });
} catch {
  console.log('disk-full probe skipped: mounting a tmpfs needs root');
  process.exit(0);
}
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const filler = path.join(mount, 'filler');
let exitCode = 0;
try {
  const config = loadConfig(
    { port: 0, grpcPort: 0, dataDir: path.join(mount, 'data'), logLevel: 'silent' },
    {},
  );
  const server = await startServer(config, createLogger('silent'));
  // Leave about 12 MB free for telemetry.
  const free = Number(execFileSync('df', ['-B1', '--output=avail', mount]).toString().split('\n')[1]);
  writeFileSync(filler, Buffer.alloc(Math.max(0, free - 12 * 1024 * 1024)));

  const service = `full-${hex(3)}`;
  const batch = () => {
    const traceId = hex(16);
    const spans = Array.from({ length: 100 }, () => ({
      traceId,
      spanId: hex(8),
      name: 'chat gpt-4o-mini',
      kind: 3,
      startTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
      endTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n + 1_000_000n),
      attributes: [
        { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
        { key: 'gen_ai.usage.input_tokens', value: { intValue: '10' } },
        { key: 'gen_ai.usage.output_tokens', value: { intValue: '5' } },
        // Incompressible content fills the disk quickly.
        { key: 'gen_ai.prompt', value: { stringValue: hex(2000) } },
      ],
    }));
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
          scopeSpans: [{ scope: { name: 'probe' }, spans }],
        },
      ],
    };
    return JSON.stringify(body);
  };
  const send = async (body: string) => {
    const response = await fetch(`${server.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return { status: response.status, text: await response.text() };
  };

  let acknowledged = 0;
  const pending: string[] = [];
  const answers = new Map<string, number>();
  for (let i = 0; i < 400 && pending.length < 3; i++) {
    const body = batch();
    const answer = await send(body);
    if (answer.status === 200) acknowledged += 100;
    else {
      pending.push(body);
      const key = `${answer.status} ${answer.text.slice(0, 160)}`;
      answers.set(key, (answers.get(key) ?? 0) + 1);
    }
  }
  // Retries while the disk is still full, as an exporter would.
  for (const body of pending) {
    const answer = await send(body);
    const key = `${answer.status} ${answer.text.slice(0, 160)} (retry while full)`;
    answers.set(key, (answers.get(key) ?? 0) + 1);
    if (answer.status === 200) acknowledged += 100;
  }
  rmSync(filler);
  let retried = 0;
  for (const body of pending) {
    const answer = await send(body);
    if (answer.status !== 200)
      throw new Error(`retry after freeing space answered ${answer.status} ${answer.text}`);
    retried++;
  }
  acknowledged += retried * 100;
  const q = async (sql: string) =>
    Number((await server.store.driver.query<{ n: string }>(sql, { s: service }))[0]?.n ?? 0);
  const stored = await q('SELECT count() AS n FROM spans WHERE service_name = {s:String}');
  const distinct = await q(
    'SELECT count() AS n FROM (SELECT DISTINCT trace_id, span_id FROM spans WHERE service_name = {s:String})',
  );
  const rollup = await q('SELECT sum(requests) AS n FROM spans_1m WHERE service_name = {s:String}');
  const traceTotals = await q(
    `SELECT sum(span_count) AS n FROM trace_index WHERE trace_id IN (SELECT DISTINCT trace_id FROM spans WHERE service_name = {s:String})`,
  );
  console.log('answers other than 200:');
  for (const [key, count] of answers) console.log(`  ${count} × ${key}`);
  console.log(
    `acknowledged ${acknowledged} spans (${retried} refused batches retried after freeing space); stored rows ${stored}, distinct ${distinct}; trace_index span_count ${traceTotals}; spans_1m requests ${rollup}`,
  );
  const exact = stored === acknowledged && distinct === acknowledged;
  const noDoubleCount = traceTotals <= acknowledged && rollup <= acknowledged;
  console.log(
    `every acknowledged span stored once: ${exact}; rollups never above it: ${noDoubleCount}` +
      (rollup < acknowledged
        ? ` (rollups miss ${acknowledged - rollup}: a batch whose view insert failed after its spans were written)`
        : ''),
  );
  if (!exact || !noDoubleCount) exitCode = 1;
  await server.close();
} finally {
  rmSync(filler, { force: true });
  execFileSync('umount', [mount]);
  rmSync(mount, { recursive: true, force: true });
}
process.exit(exitCode);
