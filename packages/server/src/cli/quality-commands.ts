/** The offline-evaluation commands by name, for the dispatcher in main.ts (docs/evaluation.md). */
import type { CommandRunner } from './access-commands.ts';
import { runDatasetsCommand } from './datasets-command.ts';
import { runDriftCommand } from './drift-command.ts';
import { runEvaluatorsCommand } from './evaluators-command.ts';
import { runExperimentsCommand } from './experiments-command.ts';
import { runExplainCommand } from './explain-command.ts';
import { runQueuesCommand, runScoreConfigsCommand } from './review-commands.ts';
import { runRulesCommand } from './rules-command.ts';

/** `datasets`, `evaluators`, `experiments`, `score-configs`, `queues`, `drift`, `explain` and `rules`. */
export const QUALITY_COMMANDS: Readonly<Record<string, CommandRunner>> = {
  datasets: runDatasetsCommand,
  evaluators: runEvaluatorsCommand,
  experiments: runExperimentsCommand,
  'score-configs': runScoreConfigsCommand,
  queues: runQueuesCommand,
  drift: runDriftCommand,
  explain: runExplainCommand,
  rules: runRulesCommand,
};
