/**
 * A synthetic span dataset generated inside the engine (INSERT … SELECT, so the materialized
 * views run as in production): agent roots with chat calls under them, spread over `days`,
 * three services, four models, 5,000 users and 50,000 sessions, ~100 words of prompt each.
 * Shared by the query and console benchmarks.
 */
import { loadConfig } from '../packages/server/src/config.ts';
import { openStore } from '../packages/server/src/store/index.ts';

/** Options of {@link generateSpanDataset}. */
export interface DatasetOptions {
  /** Spans to write. */
  total: number;
  /** Days the spans are spread over, ending now. */
  days: number;
  /** Spans per trace: one agent root and the rest chat calls. */
  spansPerTrace: number;
}

const WORDS =
  `the a customer refund invoice policy annual plan billing account support agent model answer question summary
retrieval document passage context token latency budget error retry timeout cluster kubernetes deployment database index
query cache memory vector embedding prompt completion system user assistant tool function call result json schema
report quarter revenue forecast contract clause privacy security compliance audit region europe america asia`.split(
    /\s+/,
  );
/** A word in about one prompt in 100,000 (full-text search for a rare word). */
export const RARE = 'xylophone';

/** Writes the dataset into a store at `dataDir` and returns the seconds it took. */
export async function generateSpanDataset(dataDir: string, options: DatasetOptions): Promise<number> {
  const { total, days: DAYS, spansPerTrace: SPANS_PER_TRACE } = options;
  const config = loadConfig({ dataDir, logLevel: 'error', chdbMaxMemoryBytes: 4 * 1024 ** 3 }, {});
  const store = await openStore(config);
  const words = `[${WORDS.map((w) => `'${w}'`).join(',')}]`;
  const started = performance.now();
  const batch = 250_000;
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const spanNs = (BigInt(DAYS) * 86_400_000_000_000n) / BigInt(total);
  for (let offset = 0; offset < total; offset += batch) {
    const count = Math.min(batch, total - offset);
    // One row per span; every fifth span is an agent root, the others chat calls under it.
    await store.driver.exec(`
      INSERT INTO spans (project_id, trace_id, span_id, parent_span_id, name, kind, service_name, environment, start_time,
        end_time, duration_ms, status, provider, operation, request_model, response_model, input_tokens, output_tokens,
        total_tokens, usage_counted, cost_usd, cost_source, ttft_ms, input, output, input_preview, output_preview,
        session_id, user_id, attributes, resource_attributes, events, params, convention)
      SELECT
        if(n % 10 = 9, 'other', 'default') AS project_id,
        lower(concat(leftPad(hex(cityHash64(t, 1)), 16, '0'), leftPad(hex(cityHash64(t, 2)), 16, '0'))) AS trace_id,
        lower(leftPad(hex(cityHash64(n, 3)), 16, '0')) AS span_id,
        if(n % ${SPANS_PER_TRACE} = 0, '', lower(leftPad(hex(cityHash64(t * ${SPANS_PER_TRACE}, 3)), 16, '0'))) AS parent_span_id,
        if(n % ${SPANS_PER_TRACE} = 0, 'invoke_agent support', concat('chat ', model)) AS name,
        if(n % ${SPANS_PER_TRACE} = 0, 'agent', 'llm') AS kind,
        ['chat-api', 'rag-worker', 'billing-bot'][t % 3 + 1] AS service_name,
        'production' AS environment,
        fromUnixTimestamp64Nano(toInt64(${nowNs}) - toInt64((${total} - n) * ${spanNs})) AS start_time,
        start_time + toIntervalMillisecond(dur) AS end_time,
        dur AS duration_ms,
        if(cityHash64(n, 4) % 50 = 0, 'error', 'ok') AS status,
        'openai' AS provider, 'chat' AS operation,
        ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini', 'o3-mini'][t % 4 + 1] AS model,
        model AS response_model,
        if(kind = 'llm', 200 + cityHash64(n, 5) % 800, 0) AS input_tokens,
        if(kind = 'llm', 50 + cityHash64(n, 6) % 400, 0) AS output_tokens,
        input_tokens + output_tokens AS total_tokens,
        kind = 'llm' AS usage_counted,
        (input_tokens * 0.15 + output_tokens * 0.6) / 1e6 AS cost_usd,
        'computed' AS cost_source,
        if(kind = 'llm', 80 + cityHash64(n, 7) % 900, NULL) AS ttft_ms,
        concat('[{"role":"user","parts":[{"type":"text","content":"', prompt, '"}]}]') AS input,
        concat('[{"role":"assistant","parts":[{"type":"text","content":"', answer, '"}]}]') AS output,
        left(prompt, 240) AS input_preview, left(answer, 240) AS output_preview,
        concat('session-', toString(t % 50000)) AS session_id,
        concat('user-', toString(t % 5000)) AS user_id,
        '{}' AS attributes, '{}' AS resource_attributes, '[]' AS events, '{}' AS params, 'otel_genai' AS convention
      FROM (
        SELECT number + ${offset} AS n, intDiv(number + ${offset}, ${SPANS_PER_TRACE}) AS t,
          200 + cityHash64(number + ${offset}, 8) % 4000 AS dur,
          concat(if((number + ${offset}) % 100003 = 7, '${RARE} ', ''),
            arrayStringConcat(arrayMap(i -> ${words}[cityHash64(number + ${offset}, i) % ${WORDS.length} + 1], range(110)), ' ')) AS prompt,
          arrayStringConcat(arrayMap(i -> ${words}[cityHash64(number + ${offset}, i + 1000) % ${WORDS.length} + 1], range(95)), ' ') AS answer
        FROM numbers(${count})
      )`);
    process.stderr.write(
      `  generated ${offset + count} / ${total} spans (${Math.round((performance.now() - started) / 1000)} s)\n`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const size = await store.driver.query<{ bytes: string; rows: string }>(
    "SELECT sum(bytes_on_disk) AS bytes, sum(rows) AS rows FROM system.parts WHERE active AND table = 'spans'",
  );
  process.stderr.write(
    `  ${size[0]!.rows} rows, ${Math.round(Number(size[0]!.bytes) / 1024 ** 2)} MB on disk, ${seconds.toFixed(0)} s\n`,
  );
  await store.close();
  return seconds;
}
