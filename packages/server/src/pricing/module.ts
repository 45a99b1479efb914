/** The model price catalog and per-project price overrides (the pricing service is shared: enrichment uses it). */
import type { Capability } from '../capability.ts';
import { registerPricingRoutes } from './routes.ts';

export const pricingModule: Capability = {
  name: 'pricing',
  register({ router, pricing, projectOf, recordChange }) {
    registerPricingRoutes(router, { pricing, projectOf, audit: recordChange });
  },
};
