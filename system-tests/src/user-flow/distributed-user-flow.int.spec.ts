/** The spine's HTTP user flows, unchanged, against the distributed processes behind an edge. */
import { describeUserFlows } from '@resoft/testkit';
import { missingEngines, startDistributedTestServer } from '@resoft/testkit/processes';

if (missingEngines.length) console.warn(`distributed user flows skipped: ${missingEngines.join(', ')} not set (infra/engines/*.sh start print them)`);

describeUserFlows('distributed processes on Kafka, MongoDB-wire and Redis', startDistributedTestServer, missingEngines.length ? describe.skip : describe);
