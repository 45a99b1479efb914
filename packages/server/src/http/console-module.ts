/** The web console at / and its client-side routes: registered last, as the GET fallback. */
import type { Capability } from '../capability.ts';
import { DEFAULT_CONSOLE_DIR, registerConsole } from './static.ts';

export const consoleModule: Capability = {
  name: 'console',
  register({ router }) {
    registerConsole(router, { distDir: DEFAULT_CONSOLE_DIR });
  },
};
