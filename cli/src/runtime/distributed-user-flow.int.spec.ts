/** The spine's HTTP user flows, unchanged, against the distributed processes behind an edge. */
import { describeUserFlows } from '../testing/user-flow-suite.js';
import { missingEngines, startDistributedTestServer } from '../testing/distributed-test-server.js';

if (missingEngines.length) console.warn(`distributed user flows skipped: ${missingEngines.join(', ')} not set (infra/engines/*.sh start print them)`);

describeUserFlows('distributed processes on Kafka, MongoDB-wire and Redis', startDistributedTestServer, missingEngines.length ? describe.skip : describe);
