import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './settings/atomicWrite';

/**
 * Whether the last run of the app ended cleanly, kept in `<data folder>/run-state.json`. Each start
 * writes "running"; a clean exit removes the file; a crash the process itself sees (an uncaught
 * exception, the window's renderer gone) writes why first. So a file found at start means the last run
 * did not exit cleanly — it crashed, was killed (kill -9, a power cut) or was restarted by its supervisor
 * — and this run says so once, in the log and to the cashier. Both shells (Electron and `npm run serve`)
 * use it, so a restart looks the same whichever restarted the app.
 */
export const RUN_STATE_FILE = 'run-state.json';

const Running = z.object({ state: z.literal('running'), pid: z.number().int(), startedAt: z.iso.datetime() });
const Crashed = Running.extend({ state: z.literal('crashed'), crashedAt: z.iso.datetime(), reason: z.string() });
const RunState = z.discriminatedUnion('state', [Running, Crashed]);

export interface UncleanExit {
  /** When the run that did not end cleanly had started (ISO), or null when the marker was unreadable. */
  startedAt: string | null;
  /** What that run recorded before it went, or null: killed, power cut, native crash, torn marker. */
  reason: string | null;
}

export interface CrashMarker {
  /** How the last run ended: null when it exited cleanly (or this is the first run). */
  readonly previous: UncleanExit | null;
  /** A crash this process sees: the next start reports `reason`. */
  crashed(reason: string): void;
  /** The shutdown finished: the next start is an ordinary one. */
  cleanExit(): void;
}

export interface CrashMarkerOptions {
  now?: () => Date;
  pid?: number;
}

/** Reads what the last run left, then marks this run as running. Call once, after the single-instance lock. */
export function beginRun(dataDir: string, opts: CrashMarkerOptions = {}): CrashMarker {
  const file = join(dataDir, RUN_STATE_FILE);
  const now = opts.now ?? (() => new Date());
  const running = { state: 'running' as const, pid: opts.pid ?? process.pid, startedAt: now().toISOString() };
  const previous = readPrevious(file);
  writeFileAtomic(file, JSON.stringify(running), 0o600);
  return {
    previous,
    crashed: (reason) => writeFileAtomic(file, JSON.stringify({ ...running, state: 'crashed', crashedAt: now().toISOString(), reason }), 0o600),
    cleanExit: () => rmSync(file, { force: true }),
  };
}

function readPrevious(file: string): UncleanExit | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Written atomically, so a torn file means a disk problem: still a run that did not end cleanly.
    return { startedAt: null, reason: null };
  }
  const parsed = RunState.safeParse(json);
  if (!parsed.success) return { startedAt: null, reason: null };
  return { startedAt: parsed.data.startedAt, reason: parsed.data.state === 'crashed' ? parsed.data.reason : null };
}

/** What the cashier reads once after such a restart; the technical reason stays in the log. */
// One literal, so renderer/src/i18n/mainTexts.test.ts finds it word for word for its Uzbek form.
export const RESTART_NOTICE_MESSAGE =
  'Программа была перезапущена после сбоя. Незавершённые возвраты она проверяет сама, как после любого перезапуска: дождитесь готовности принтера и продолжайте работу. Если сбои повторяются, сообщите специалисту.';

export interface RestartNotice {
  /** When this run noticed the restart (ISO): the UI shows each notice once. */
  at: string;
  message: string;
}

/** Logs an unclean end of the last run and returns the notice for the cashier, or undefined after a clean one. */
export function announceRestart(previous: UncleanExit | null, log: { error(message: string, fields?: Record<string, unknown>): void }, now = new Date()): RestartNotice | undefined {
  if (!previous) return undefined;
  log.error('the last run did not end cleanly; started again', { lastStartedAt: previous.startedAt, reason: previous.reason ?? 'no record (killed, power cut or native crash)' });
  return { at: now.toISOString(), message: RESTART_NOTICE_MESSAGE };
}
