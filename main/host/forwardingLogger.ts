import type { LogFields, Logger, LogLevel } from '../log/logger';
import { Redactor } from '../log/redaction';
import type { FromWorker } from './protocol';

/**
 * The services worker's logger: every line goes to the main thread's logger, so one file, one rotation
 * and one list of masked values serve the whole app (two threads appending to and rotating the same
 * file would tear it). Lines are redacted here first, which also makes the fields plain data that can
 * cross to the main thread (an Error, a bigint or a cycle would not survive the copy as they are).
 */
export function forwardingLogger(post: (message: FromWorker) => void): Logger {
  const redactor = new Redactor();
  const write = (level: LogLevel, base: LogFields, message: string, fields?: LogFields) => {
    const merged = fields ? { ...base, ...fields } : base;
    post({ kind: 'log', level, message: redactor.text(message), fields: redactor.value(merged) as LogFields });
  };
  const make = (base: LogFields): Logger => ({
    error: (m, f) => write('error', base, m, f),
    warn: (m, f) => write('warn', base, m, f),
    info: (m, f) => write('info', base, m, f),
    debug: (m, f) => write('debug', base, m, f),
    child: (fields) => make({ ...base, ...fields }),
    addSecret: (value) => {
      redactor.add(value);
      post({ kind: 'secret', value });
    },
  });
  return make({});
}
