/** pino JSON logs; every request gets a child logger carrying its request id. */
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

export function createLogger(level: string, name = 'resoft'): Logger {
  return pino({ name, level, base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime });
}
