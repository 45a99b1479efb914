/** Scores and feedback on spans and traces (SDK feedback, evaluators, people). */
import { ScoreValidator } from '../annotation/score-validation.ts';
import type { Capability } from '../capability.ts';
import { registerScoreRoutes } from './routes.ts';

export const scoresModule: Capability = {
  name: 'scores',
  register({ router, store, projectOf }) {
    registerScoreRoutes(router, { store, projectOf, check: new ScoreValidator(store.metadata.sql) });
  },
};
