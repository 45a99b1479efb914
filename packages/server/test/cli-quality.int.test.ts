/**
 * The offline-evaluation commands through the real `argus` binary against a running server and
 * the mock LLM: `datasets import/list/items/export`, `evaluators create/list`, `experiments run`
 * (plain progress lines off a terminal, a scores table, `--baseline` with `--fail-on-regression`
 * as a CI gate exiting 1 on a significant regression), `experiments compare/list/show`, every
 * command's `--help`, and usage mistakes exiting 2.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { isMockMathWrong, type MockLlm, startMockLlm } from '@argus/mock-llm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runArgus } from './support/cli.ts';
import { ARGUS_BIN } from './support/process.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const QUESTIONS = Array.from({ length: 40 }, (_, i) => `What is ${i + 1}+1?`);

let server: TestServer;
let mock: MockLlm;
let dir: string;
let env: NodeJS.ProcessEnv;

const argus = (args: string[]) => runArgus(args, env);
const execFileAsync = promisify(execFile);

/** `experiments run` of the arithmetic dataset's prompt through the mock connection, scored by exact. */
const runArgs = (model: string, name: string, ...more: string[]) => [
  'experiments',
  'run',
  '--dataset',
  'arith',
  '--prompt',
  path.join(dir, 'prompt.json'),
  '--connection',
  'mock',
  '--model',
  model,
  '--evaluator',
  'exact',
  '--name',
  name,
  '--poll-ms',
  '100',
  ...more,
];

beforeAll(async () => {
  [server, mock] = await Promise.all([startTestServer(), startMockLlm({ latencyMs: 1 })]);
  dir = mkdtempSync(path.join(os.tmpdir(), 'argus-cli-quality-'));
  env = { ARGUS_URL: server.url, ARGUS_API_KEY: '', ARGUS_PROJECT: '' };
  // The 40 questions, and one row without a question (refused with its row number).
  const rows = QUESTIONS.map((q, i) => `${q},${i + 2},q${i + 1}`);
  writeFileSync(
    path.join(dir, 'arith.csv'),
    `q,a,key\n${rows.slice(0, 20).join('\n')}\n,7,bad\n${rows.slice(20).join('\n')}\n`,
  );
  writeFileSync(path.join(dir, 'prompt.json'), JSON.stringify([{ role: 'user', content: '{{input}}' }]));
  writeFileSync(path.join(dir, 'bad-prompt.json'), JSON.stringify({ messages: [{ role: 'user' }] }));
  const connection = await fetch(`${server.url}/api/v1/llm-connections`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'mock',
      provider: 'openai-compatible',
      baseUrl: `${mock.url}/v1`,
      apiKey: 'k',
    }),
  });
  expect(connection.status, await connection.clone().text()).toBe(201);
}, 60_000);

afterAll(async () => {
  await mock?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('argus datasets and evaluators', () => {
  it('imports a CSV with a column mapping, listing the refused row, then lists, shows and exports it', async () => {
    const imported = await argus([
      'datasets',
      'import',
      path.join(dir, 'arith.csv'),
      '--dataset',
      'arith',
      '--input-col',
      'q',
      '--expected-col',
      'a',
      '--id-col',
      'key',
    ]);
    // A refused row makes the exit code 1; the other 40 rows are in.
    expect(imported.code, imported.stderr).toBe(1);
    expect(imported.stdout).toContain('Created dataset arith');
    expect(imported.stdout).toMatch(/40 created, 0 updated, 0 unchanged, 1 refused/);
    expect(imported.stdout).toMatch(/row 22: .+/);

    const list = await argus(['datasets', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/arith\s+40\s/);

    const items = await argus(['datasets', 'items', 'arith', '--limit', '5']);
    expect(items.code, items.stderr).toBe(0);
    expect(items.stdout).toContain('What is 1+1?');
    expect(items.stdout.trim().split('\n')).toHaveLength(2 + 5 + 1);

    const exported = await argus(['datasets', 'export', 'arith', '--format', 'csv']);
    expect(exported.code, exported.stderr).toBe(0);
    const lines = exported.stdout.trim().split(/\r?\n/);
    expect(lines[0]).toBe('id,input,expected_output,metadata,source_trace_id,source_span_id');
    expect(lines).toHaveLength(41);
  });

  it('imports JSONL with an input made of two fields and shows it as JSON', async () => {
    const file = path.join(dir, 'rag.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ question: 'Capital of France?', context: 'Paris is…', answer: 'Paris' })}\n${JSON.stringify({ question: 'Capital of Peru?', context: 'Lima is…', answer: 'Lima' })}\n`,
    );
    const imported = await argus([
      'datasets',
      'import',
      file,
      '--input-col',
      'question',
      '--input-col',
      'context',
      '--expected-col',
      'answer',
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    // No --dataset: the file's name.
    expect(imported.stdout).toMatch(/Created dataset rag .*2 created, 0 updated, 0 unchanged, 0 refused/);
    const items = await argus(['datasets', 'items', 'rag']);
    expect(items.stdout).toContain('{"question":"Capital of France?","context":"Paris is…"}');
    expect(items.stdout).toMatch(/\sParis$/m);
  });

  it('creates and lists evaluators; a misspelt type is a usage error with a suggestion', async () => {
    const created = await argus(['evaluators', 'create', '--name', 'exact', '--type', 'exact_match']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/Created evaluator \S+ \(exact, exact_match\)/);
    const listed = await argus(['evaluators', 'list', '--json']);
    expect(JSON.parse(listed.stdout).map((e: { name: string }) => e.name)).toContain('exact');
    const typo = await argus(['evaluators', 'create', '--name', 'x', '--type', 'exact_mach']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("did you mean 'exact_match'?");
  });
});

describe('argus experiments', () => {
  let baselineId: string;

  it('runs a prompt experiment with plain progress lines and prints its scores', async () => {
    const run = await argus(runArgs('mock-math-right', 'right', '--json'));
    expect(run.code, run.stderr).toBe(0);
    // Not a terminal: progress as lines, ending at 100 %.
    expect(run.stderr).toMatch(/^progress 40\/40 \(100%\)$/m);
    expect(run.stderr).not.toContain('\r');
    const { experiment } = JSON.parse(run.stdout);
    expect(experiment).toMatchObject({ status: 'completed', progress: { done: 40, total: 40 } });
    expect(experiment.summary.scores.exact).toMatchObject({ mean: 1, n: 40 });
    baselineId = experiment.id;

    const shown = await argus(['experiments', 'show', baselineId]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/Experiment right \(\S+\): completed, 40\/40 item runs/);
    expect(shown.stdout).toMatch(/exact\s+1\.000\s+\[1\.000, 1\.000\]\s+40/);
  }, 120_000);

  it('gates CI: a significantly worse candidate prints REGRESSION and exits 1', async () => {
    const run = await argus(
      runArgs('mock-math-wrong-40', 'wrong', '--baseline', baselineId, '--fail-on-regression'),
    );
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(1);
    const right = QUESTIONS.filter((q) => !isMockMathWrong('mock-math-wrong-40', q)).length;
    const mean = (right / 40).toFixed(3);
    expect(run.stdout).toMatch(new RegExp(`exact\\s+${mean.replace('.', '\\.')}\\s+\\[`));
    // The comparison table: baseline 1.000, candidate the mock's share, a negative difference.
    expect(run.stdout).toMatch(
      /evaluator\s+baseline\s+candidate\s+difference\s+p-value\s+up\/down\/same\s+verdict/,
    );
    expect(run.stdout).toMatch(
      /exact\s+1\.000 \[1\.000, 1\.000\]\s+0\.\d{3} \[.+\]\s+-0\.\d{3} \[.+\]\s+\S+.*McNemar.*\s0\/\d+\/\d+\s+REGRESSION/,
    );
    expect(run.stdout).toContain('REGRESSION: the candidate is significantly worse on exact');

    // The same comparison on its own; without --fail-on-regression it is a report (exit 0).
    const candidateId = /Experiment wrong \((\S+)\)/.exec(run.stdout)?.[1];
    expect(candidateId).toBeDefined();
    const compared = await argus(['experiments', 'compare', baselineId, candidateId!]);
    expect(compared.code, compared.stderr).toBe(0);
    expect(compared.stdout).toContain('40 paired items');
    expect(compared.stdout).toContain('REGRESSION');
    const reversed = await argus([
      'experiments',
      'compare',
      candidateId!,
      baselineId,
      '--fail-on-regression',
    ]);
    expect(reversed.code, reversed.stderr).toBe(0);
    expect(reversed.stdout).toContain('improvement');
    expect(reversed.stdout).toContain('No significant regression');

    const list = await argus(['experiments', 'list']);
    expect(list.stdout).toMatch(/wrong\s+completed\s+40\/40\s+mock-math-wrong-40/);
  }, 120_000);

  it('draws a progress bar in place on a terminal (a pseudo-terminal through script(1))', async () => {
    const args = [ARGUS_BIN, ...runArgs('mock-math-right', 'on a terminal')];
    const command = [process.execPath, ...args].map((a) => `'${a}'`).join(' ');
    const { stdout } = await execFileAsync('script', ['-qec', command, '/dev/null'], {
      env: { ...process.env, ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    // Redrawn with a carriage return, ending full; no plain progress lines.
    expect(stdout).toContain('\r[##############################] 40/40  100%');
    expect(stdout).not.toMatch(/^progress \d+\/40/m);
    expect(stdout).toMatch(/exact\s+1\.000\s+\[1\.000, 1\.000\]\s+40/);
  }, 120_000);

  it.each([
    // Each case is a mistake a user makes: exit 2, a sentence saying what to fix.
    [['experiments', 'run', '--prompt', 'p.json'], 'Missing --dataset'],
    [
      [
        'experiments',
        'run',
        '--dataset',
        'arith',
        '--prompt',
        'x',
        '--connection',
        'mock',
        '--model',
        'm',
        '--fail-on-regression',
      ],
      '--fail-on-regression needs --baseline',
    ],
    [['experiments', 'compare', 'only-one'], 'Missing an experiment id'],
    [['experiments', 'compare', 'a', 'b', '--alpha', '2'], "Invalid --alpha '2'"],
    [['experiments', 'rnu'], "did you mean 'run'?"],
    [['datasets', 'import'], 'Missing the file to import'],
    [['datasets', 'import', 'data.txt'], 'pass --format csv or --format jsonl'],
    [['datasets', 'export', 'arith', '--format', 'xml'], "Invalid --format 'xml'"],
    [
      ['evaluators', 'create', '--name', 'x', '--type', 'regex', '--config', '{oops'],
      'Cannot parse --config as JSON',
    ],
  ])('refuses %j with exit code 2', async (args, message) => {
    const result = await argus(args);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('refuses a malformed prompt file with exit code 2, and an unknown dataset with exit code 1 naming it', async () => {
    const base = ['experiments', 'run', '--connection', 'mock', '--model', 'mock-math-right'];
    const prompt = await argus([
      ...base,
      '--dataset',
      'arith',
      '--prompt',
      path.join(dir, 'bad-prompt.json'),
    ]);
    expect(prompt.code).toBe(2);
    expect(prompt.stderr).toContain('Invalid --prompt');
    const missing = await argus([...base, '--dataset', 'nope', '--prompt', path.join(dir, 'prompt.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      "Cannot find dataset 'nope': no dataset has this id or name (there are: arith, rag)",
    );
  });

  it.each(['datasets', 'evaluators', 'experiments'])(
    "'argus %s --help' exits 0 and describes each flag",
    async (command) => {
      const { code, stdout, stderr } = await argus([command, '--help']);
      expect(code, stderr).toBe(0);
      expect(stdout).toContain(`argus ${command}`);
      const lines = stdout.slice(stdout.indexOf('\nFlags:\n')).split('\n').slice(2);
      const flags = lines.filter((line) => /^ {2}(-\w, )?--[a-z]/.test(line));
      expect(flags.length).toBeGreaterThan(3);
      for (const line of flags) {
        const description = line.trim().split(/\s{2,}/)[1] ?? lines[lines.indexOf(line) + 1]!.trim();
        expect(description, `${command}: ${line}`).toMatch(/^[^-\s]/);
      }
    },
  );
});
