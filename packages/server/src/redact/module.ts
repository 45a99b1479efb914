/** Per-project redaction settings and their dry run (the redactors themselves are a shared service). */
import type { Capability } from '../capability.ts';
import { registerRedactionRoutes } from './routes.ts';

export const redactionModule: Capability = {
  name: 'redaction',
  register({ router, redaction, audit, projectOf }) {
    registerRedactionRoutes(router, { policies: redaction, audit, projectOf });
  },
};
