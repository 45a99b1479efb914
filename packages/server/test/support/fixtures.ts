/** Where the shared OTLP fixtures live: `../shared/fixtures/otlp` beside the repository root. */
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = fileURLToPath(new URL('../../../../../shared/fixtures/otlp/', import.meta.url));
