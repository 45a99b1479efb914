/** Scores and feedback on spans and traces (SDK feedback, evaluators, people). */
import { ScoreValidator } from '../annotation/score-validation.ts';
import { registerScoreRoutes } from '../api/scores.ts';
import type { Capability } from '../capability.ts';

export const scoresModule: Capability = {
  name: 'scores',
  register({ router, store, projectOf }) {
    registerScoreRoutes(router, { store, projectOf, check: new ScoreValidator(store.metadata.sql) });
  },
};
