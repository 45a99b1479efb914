/** The listing contract on embedded chDB (the default driver). */
import { openStore } from '../store/index.ts';
import { describeListingContract } from './listing.contract.ts';
import { tempConfig } from './test-helpers.ts';

const temp = tempConfig('listing-chdb');
describeListingContract('chdb', async () => {
  const store = await openStore(temp.config);
  const close = store.close.bind(store);
  return Object.assign(store, {
    close: async () => {
      await close();
      temp.cleanup();
    },
  });
});
