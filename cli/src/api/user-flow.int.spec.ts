import { describeUserFlows } from '../testing/user-flow-suite.js';
import { startTestServer } from '../testing/test-server.js';

describeUserFlows('embedded all-in-one', startTestServer);
