#!/usr/bin/env node
// The `argus` command. Runs the TypeScript sources directly (Node >= 22.18 strips types).
import { main } from '../src/cli/main.ts';

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`argus: ${error?.message ?? error}\n`);
    process.exitCode = 1;
  },
);
