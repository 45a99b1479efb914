/** Where the OTLP fixtures live: `packages/server/test/fixtures/otlp` (see its README). */
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/otlp/', import.meta.url));
