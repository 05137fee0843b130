import electronLog from 'electron-log/node';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redactor } from './redaction';
import { rotateLogFiles } from './rotateLogFiles';

/**
 * The one logger every service gets. Lines are written by electron-log (its Node entry, so the bridge
 * server and the Electron app produce the same file format):
 *   [2026-05-04 12:00:00.123] [info]  refund step {"refundId":"…","step":"fiscalizing","documentNumber":42}
 * Each call is one line: the message, then the fields as JSON. Fields and message pass through the
 * redaction layer first, so a secret cannot reach the file or the console.
 */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export type LogFields = Record<string, unknown>;

export interface Logger {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (a refund id, a back-end name, a job id). */
  child(fields: LogFields): Logger;
  /** From now on this value is masked in every line of this logger and its children. */
  addSecret(value: string): void;
}

export interface LoggerOptions {
  /** Folder for the log files (created if missing), normally `<data folder>/logs`. */
  dir: string;
  fileName?: string;
  /** Lowest level written to the file. */
  level?: LogLevel;
  /** Console output level, or false for none (tests, the packaged app). */
  console?: LogLevel | false;
  /** Rotate when the current file grows past this size. */
  maxBytes?: number;
  /** How many rotated files to keep beside the current one. */
  keep?: number;
  secrets?: Iterable<string>;
}

export interface FileLogger extends Logger {
  /** Path of the current log file. */
  readonly file: string;
}

const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const DEFAULT_KEEP = 10;
let instances = 0;

export function createLogger(opts: LoggerOptions): FileLogger {
  mkdirSync(opts.dir, { recursive: true });
  const file = join(opts.dir, opts.fileName ?? 'main.log');
  const keep = opts.keep ?? DEFAULT_KEEP;
  // electron-log keeps every logger in a static map by id; a unique id keeps two loggers (tests) apart.
  const backend = electronLog.create({ logId: `cashier-${process.pid}-${++instances}` });
  backend.transports.file.resolvePathFn = () => file;
  backend.transports.file.level = opts.level ?? 'info';
  backend.transports.file.maxSize = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  backend.transports.file.archiveLogFn = () => rotateLogFiles(file, keep);
  backend.transports.console.level = opts.console ?? false;
  // Under Electron the ipc transport would copy every line to the renderer; logs stay in main.
  const ipc = backend.transports.ipc as typeof backend.transports.ipc | undefined;
  if (ipc) ipc.level = false;
  backend.transports.remote.level = false;

  const redactor = new Redactor(opts.secrets);
  const logger = loggerOver((level, merged, message) => {
    const text = redactor.text(message).replace(/\r?\n/g, '\\n');
    const json = Object.keys(merged).length === 0 ? '' : ` ${JSON.stringify(redactor.value(merged))}`;
    backend[level](text + json);
  }, (value) => redactor.add(value));
  return { ...logger, file };
}

/**
 * A Logger over one function that writes a line (its fields already merged with the child's): the
 * levels, child() and addSecret() every logger here offers. The services worker's logger
 * (main/host/forwardingLogger.ts) is one over a message to the main thread.
 */
export function loggerOver(write: (level: LogLevel, fields: LogFields, message: string) => void, addSecret: (value: string) => void): Logger {
  const line = (level: LogLevel, base: LogFields, message: string, fields?: LogFields) => write(level, fields ? { ...base, ...fields } : base, message);
  const make = (base: LogFields): Logger => ({
    error: (m, f) => line('error', base, m, f),
    warn: (m, f) => line('warn', base, m, f),
    info: (m, f) => line('info', base, m, f),
    debug: (m, f) => line('debug', base, m, f),
    child: (fields) => make({ ...base, ...fields }),
    addSecret,
  });
  return make({});
}

/** The logger for one refund: every step's line carries the refund id, so `grep <id> main.log` tells its story. */
export function refundLog(log: Logger, refundId: string): Logger {
  return log.child({ refundId });
}
