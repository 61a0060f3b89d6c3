/** `@resoft/adapter-kafka`: the event bus on Kafka (kafkajs), loaded only where KAFKA_BROKERS is set. */
export * from './bus/kafka-event-bus.js';
export * from './bus/murmur2-partitioner.js';
