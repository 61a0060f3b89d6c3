/** The test kit's injected faults (`@resoft/testkit/faults`): a Kafka broker that can fail, a pipeline whose stores fail on demand. */
export * from './fault-kafka-broker.js';
export * from './fault-pipeline.js';
