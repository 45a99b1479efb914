/** Alert rules, channels, silences and events; the evaluator runs once the listener is up. */
import type { Capability } from '../capability.ts';
import { registerAlertRoutes } from './routes.ts';

export const alertsModule: Capability = {
  name: 'alerts',
  register({ router, alerting, store, projectOf, baseUrl, recordChange }) {
    registerAlertRoutes(router, {
      repo: alerting.repo,
      dispatcher: alerting.dispatcher,
      driver: store.driver,
      projectOf,
      baseUrl,
      audit: recordChange,
    });
    return { start: () => alerting.start(baseUrl()), stop: () => alerting.stop() };
  },
};
