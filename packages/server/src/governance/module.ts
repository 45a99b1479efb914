/** Retention, erasure and purge receipts; the retention sweeper runs in the background. */
import type { Capability } from '../capability.ts';
import { registerGovernanceRoutes } from './routes.ts';

export const governanceModule: Capability = {
  name: 'governance',
  register({ router, store, config, projectOf, audit, logger }) {
    const governance = registerGovernanceRoutes(router, { store, config, projectOf, audit, logger });
    return { start: () => governance.start(), stop: () => governance.stop() };
  },
};
