import { loggerOver, type LogFields, type Logger } from '../log/logger';
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
  return loggerOver(
    (level, fields, message) => post({ kind: 'log', level, message: redactor.text(message), fields: redactor.value(fields) as LogFields }),
    (value) => {
      redactor.add(value);
      post({ kind: 'secret', value });
    },
  );
}
