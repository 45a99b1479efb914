/** The LangSmith run and feedback API; its held runs are written (as incomplete) at shutdown. */
import type { Capability } from '../capability.ts';
import { type LangsmithReceiver, registerLangsmithRoutes } from './routes.ts';

export const langsmithModule: Capability<LangsmithReceiver> = {
  name: 'langsmith',
  register({ router, ingest }) {
    const receiver = registerLangsmithRoutes(router, ingest);
    return { api: receiver, stop: () => receiver.close() };
  },
};
