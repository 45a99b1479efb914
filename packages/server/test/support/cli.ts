/** Running the `argus` command in tests: as a child process, or in this process with its output captured. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { ARGUS_BIN } from './process.ts';

const run = promisify(execFile);

/** What a command run in a child process did. */
export interface ChildRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `argus …` in a child process with `env` over this process's environment; never throws on a non-zero exit. */
export async function runArgus(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ChildRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, [ARGUS_BIN, ...args], {
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as ChildRun;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** What a command run in this process did. */
export interface MainRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI's `main` in this process, capturing what it writes to stdout and stderr. */
export async function runMain(args: string[], env: NodeJS.ProcessEnv = {}): Promise<MainRun> {
  let out = '';
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  try {
    return { code: await main(args, env), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}
