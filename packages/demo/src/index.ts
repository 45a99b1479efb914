/** The demo (`argus demo`): its command, as the `argus` CLI loads it. */
export { formatLostSummary, formatSummary, runDemoCommand } from './command.ts';
