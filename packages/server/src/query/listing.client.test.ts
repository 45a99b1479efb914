/** The listing contract through `@clickhouse/client` over chDB's pluggable connection. */
import path from 'node:path';
import { createChdbConnection } from 'chdb/connection';
import { openClientDriver } from '../store/clickhouse/client-driver.ts';
import { openStore } from '../store/index.ts';
import { describeListingContract } from './listing.contract.ts';
import { tempConfig } from './test-helpers.ts';

const temp = tempConfig('listing-client');
describeListingContract('@clickhouse/client', async () => {
  const driver = openClientDriver({
    connection: createChdbConnection({ path: path.join(temp.dir, 'clickhouse') }),
    queryTimeoutMs: temp.config.queryTimeoutMs,
  });
  const store = await openStore(temp.config, { driver });
  const close = store.close.bind(store);
  return Object.assign(store, {
    close: async () => {
      await close();
      temp.cleanup();
    },
  });
});
