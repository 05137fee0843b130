import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { announceRestart, beginRun, RESTART_NOTICE_MESSAGE, RUN_STATE_FILE } from './crashMarker';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crash-marker-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const errors: { message: string; fields?: Record<string, unknown> }[] = [];
const log = { error: (message: string, fields?: Record<string, unknown>) => void errors.push({ message, ...(fields ? { fields } : {}) }) };
const at = (iso: string) => () => new Date(iso);

describe('crash marker', () => {
  it('a first start and a start after a clean exit report nothing', () => {
    const first = beginRun(dir);
    expect(first.previous).toBeNull();
    first.cleanExit();
    expect(existsSync(join(dir, RUN_STATE_FILE))).toBe(false);
    const second = beginRun(dir);
    expect(second.previous).toBeNull();
    expect(announceRestart(second.previous, log)).toBeUndefined();
  });

  it('a run killed without a word (kill -9, power cut) is reported at the next start, once', () => {
    beginRun(dir, { now: at('2026-12-01T08:00:00.000Z'), pid: 4242 });
    const next = beginRun(dir, { now: at('2026-12-01T08:05:00.000Z') });
    expect(next.previous).toEqual({ startedAt: '2026-12-01T08:00:00.000Z', reason: null });
    errors.length = 0;
    const notice = announceRestart(next.previous, log, new Date('2026-12-01T08:05:01.000Z'));
    expect(notice).toEqual({ at: '2026-12-01T08:05:01.000Z', message: RESTART_NOTICE_MESSAGE });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.fields).toMatchObject({ lastStartedAt: '2026-12-01T08:00:00.000Z', reason: expect.stringMatching(/no record/) });
    next.cleanExit();
    expect(beginRun(dir).previous).toBeNull();
  });

  it('a crash the process saw is reported with its reason', () => {
    const run = beginRun(dir, { now: at('2026-12-01T09:00:00.000Z') });
    run.crashed('renderer gone: crashed (exit code 139)');
    expect(beginRun(dir).previous).toEqual({ startedAt: '2026-12-01T09:00:00.000Z', reason: 'renderer gone: crashed (exit code 139)' });
  });

  it('a torn or foreign marker still counts as a run that did not end cleanly', () => {
    writeFileSync(join(dir, RUN_STATE_FILE), '{"state":"runn');
    expect(beginRun(dir).previous).toEqual({ startedAt: null, reason: null });
    writeFileSync(join(dir, RUN_STATE_FILE), '{"state":"sleeping"}');
    expect(beginRun(dir).previous).toEqual({ startedAt: null, reason: null });
  });

  it.runIf(process.platform !== 'win32')('the marker is readable by the cashier account only', () => {
    beginRun(dir);
    expect(statSync(join(dir, RUN_STATE_FILE)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, RUN_STATE_FILE), 'utf8'))).toMatchObject({ state: 'running', pid: process.pid });
  });
});
