/**
 * The source store contract on the MongoDB adapter, against the engine at MONGO_URL (FerretDB from
 * `infra/engines/ferretdb.sh start`, or MongoDB). Each test gets a database of its own, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { describeSourceStoreContract } from '@resoft/ports/contracts';
import { MongoSourceStore } from './mongo-source-store.js';

const MONGO_URL = process.env['MONGO_URL'];
const SKIP_REASON = 'skipped: MONGO_URL is not set (start an engine with infra/engines/ferretdb.sh start)';

if (!MONGO_URL) console.warn(`MongoSourceStore integration tests ${SKIP_REASON}`);
const describeWithEngine = MONGO_URL ? describe : describe.skip;

describeWithEngine(MONGO_URL ? 'MongoSourceStore' : `MongoSourceStore (${SKIP_REASON})`, () => {
  describeSourceStoreContract('MongoSourceStore', async () => {
    const database = `resoft_test_${randomBytes(6).toString('hex')}`;
    const opened: MongoSourceStore[] = [];
    return {
      async open() {
        const store = await MongoSourceStore.connect({ url: MONGO_URL ?? '', database });
        opened.push(store);
        return store;
      },
      async dispose() {
        try {
          await opened[0]?.database.dropDatabase();
        } finally {
          await Promise.all(opened.map((store) => store.close()));
        }
      },
    };
  });
});
