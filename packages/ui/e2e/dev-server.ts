/**
 * A throwaway server with the e2e dataset, for looking at the console by hand:
 * `node packages/ui/e2e/dev-server.ts [port]` (Ctrl-C to stop; the data dir is removed).
 */
import { startTestServer } from '../../server/test/support/server.ts';
import { sendTraffic } from './traffic.ts';

const port = Number(process.argv[2] ?? 4318);
const server = await startTestServer({ port });
await sendTraffic(server.url);
process.stdout.write(`Argus with e2e data at ${server.url}\n`);
const stop = () => void server.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
