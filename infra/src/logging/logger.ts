/** pino JSON logs; every request gets a child logger carrying its request id; lines inside a span carry trace_id and span_id. */
import { pino, type Logger } from 'pino';
import { traceLogFields } from '../telemetry/tracing/trace-context.js';

export type { Logger } from 'pino';

export function createLogger(level: string, name = 'resoft'): Logger {
  return pino({ name, level, base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime, mixin: traceLogFields });
}
