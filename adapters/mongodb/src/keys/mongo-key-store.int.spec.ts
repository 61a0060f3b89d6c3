/** The KeyStore contract against the engine at MONGO_URL (FerretDB from `infra/engines/ferretdb.sh start`, or MongoDB); a database per test, dropped after. */
import { randomBytes } from 'node:crypto';
import { describeKeyStoreContract } from '@resoft/ports/contracts';
import { MongoKeyStore } from './mongo-key-store.js';

const MONGO_URL = process.env['MONGO_URL'];
const SKIP_REASON = 'skipped: MONGO_URL is not set (start an engine with infra/engines/ferretdb.sh start)';
if (!MONGO_URL) console.warn(`MongoKeyStore integration tests ${SKIP_REASON}`);
const describeWithEngine = MONGO_URL ? describe : describe.skip;

describeWithEngine(MONGO_URL ? 'MongoKeyStore' : `MongoKeyStore (${SKIP_REASON})`, () => {
  describeKeyStoreContract('MongoKeyStore', async () => {
    const store = await MongoKeyStore.connect({ url: MONGO_URL ?? '', database: `resoft_keys_${randomBytes(6).toString('hex')}` });
    return {
      store,
      dispose: async () => {
        try {
          await store.database.dropDatabase();
        } finally {
          await store.close();
        }
      },
    };
  });
});
