/** Scores and feedback on spans and traces (SDK feedback, evaluators, people). */
import { ScoreValidator } from '../annotation/score-validation.ts';
import type { Capability } from '../capability.ts';
import { maxWindowMsFor } from '../query/index.ts';
import { registerScoreList } from './list.ts';
import { registerScoreRoutes } from './routes.ts';

export const scoresModule: Capability = {
  name: 'scores',
  register({ router, store, projectOf, config }) {
    registerScoreRoutes(router, { store, projectOf, check: new ScoreValidator(store.metadata.sql) });
    registerScoreList(router, {
      driver: store.driver,
      projectOf,
      maxWindowMs: maxWindowMsFor(config.retentionDays),
    });
  },
};
