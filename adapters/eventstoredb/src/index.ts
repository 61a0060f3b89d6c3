/** `@resoft/adapter-eventstoredb`: the event store on EventStoreDB, loaded only where EVENTSTORE_URL is set. */
export * from './event-store/esdb-event-store.js';
