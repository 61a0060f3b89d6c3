import { describeUserFlows, startTestServer } from '@resoft/testkit';

describeUserFlows('embedded all-in-one', startTestServer);
