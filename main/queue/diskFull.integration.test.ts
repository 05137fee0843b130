import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../appError';
import { tempDir } from '../../test/queue/tempDir';
import { immediateTransaction, openDatabase, type Database } from './database';
import { defineJobKind } from './jobKind';
import { Outbox } from './outbox';
import { OutboxWorker } from './worker';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('queue-full-');
});
afterEach(() => tmp.remove());

/** Enqueues orders (business row + job, one transaction each) until the database refuses one. */
function fillUntilRefused(db: Database, outbox: Outbox): { acked: string[]; refusal: AppError } {
  db.exec('CREATE TABLE IF NOT EXISTS orders (key TEXT PRIMARY KEY)');
  const insert = db.prepare('INSERT INTO orders (key) VALUES (?)');
  const acked: string[] = [];
  for (let i = 0; i < 100_000; i++) {
    const key = `order-${i}`;
    try {
      immediateTransaction(db, () => {
        insert.run(key);
        outbox.enqueue({ kind: 'pos.call', backend: 'lifepos', payload: { n: i, note: 'x'.repeat(1500) }, idempotencyKey: key });
      });
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      return { acked, refusal: e };
    }
    acked.push(key);
  }
  throw new Error('the database never filled up');
}

function expectIntact(db: Database, acked: string[]): void {
  expect(db.pragma('quick_check', { simple: true })).toBe('ok');
  expect(db.prepare('SELECT key FROM orders ORDER BY rowid').pluck().all()).toEqual(acked);
  expect(db.prepare('SELECT idempotency_key FROM outbox_jobs ORDER BY id').pluck().all()).toEqual(acked);
}

function expectDiskFull(refusal: AppError): void {
  expect(refusal.code).toBe('QUEUE_DISK_FULL');
  expect(refusal.retry).toBe('transient');
  expect(refusal.message).toContain('Нет места на диске');
  expect(refusal.message).toContain('всё, что было сохранено раньше, на месте');
}

describe('a full disk', () => {
  it('refuses new work with a clear error and keeps everything stored (size-limited file)', async () => {
    const file = tmp.file('queue.db');
    const db = openDatabase(file);
    const outbox = new Outbox(db);
    const pages = Number(db.pragma('page_count', { simple: true }));
    db.pragma(`max_page_count = ${pages + 40}`);
    const { acked, refusal } = fillUntilRefused(db, outbox);
    expectDiskFull(refusal);
    expect(acked.length).toBeGreaterThan(10);
    expectIntact(db, acked);
    expect(outbox.stats().counts.pending).toBe(acked.length);

    // The worker's own write fails too (a large result needs new pages): it reports, it does not crash,
    // and once space is back the job that was left `running` runs again and completes.
    const kind = defineJobKind({
      kind: 'pos.call',
      backend: 'lifepos',
      payload: z.object({ n: z.number() }),
      run: async (p) => ({ n: p.n, receipt: 'r'.repeat(20_000) }),
    });
    const worker = new OutboxWorker({ outbox, kinds: [kind] });
    const errors: AppError[] = [];
    worker.on('error', (e) => errors.push(e));
    await expect(worker.drain()).rejects.toMatchObject({ code: 'QUEUE_DISK_FULL' });
    expect(errors.map((e) => e.code)).toEqual(['QUEUE_DISK_FULL']);
    expect(outbox.get(acked[0] ?? '')).toMatchObject({ state: 'running', attempts: 1 });

    db.pragma('max_page_count = 1073741823');
    worker.retryStorageNow();
    await worker.drain();
    await worker.stop();
    expect(outbox.stats().counts).toEqual({ pending: 0, running: 0, done: acked.length, dead: 0 });
    expect(outbox.get(acked[0] ?? '')?.attempts).toBe(2);
    db.close();

    const reopened = openDatabase(file);
    expectIntact(reopened, acked);
    reopened.close();
  });

  const canMount = process.platform === 'linux' && process.getuid?.() === 0 && tryMount();
  it.skipIf(!canMount)('refuses new work with a clear error and keeps everything stored (tiny tmpfs)', () => {
    const dir = `${tmp.dir}/tmpfs`;
    mkdirSync(dir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
    const opened: Database[] = [];
    try {
      const file = `${dir}/queue.db`;
      const db = openDatabase(file);
      opened.push(db);
      const { acked, refusal } = fillUntilRefused(db, new Outbox(db));
      expectDiskFull(refusal);
      expect(acked.length).toBeGreaterThan(10);
      expectIntact(db, acked);
      db.close();
      const reopened = openDatabase(file);
      opened.push(reopened);
      expectIntact(reopened, acked);
    } finally {
      for (const db of opened) if (db.open) db.close();
      execFileSync('umount', [dir]);
    }
  });
});

/** Mounting needs root and a kernel that lets this container do it; CI without either skips that case. */
function tryMount(): boolean {
  const probe = tempDir('queue-mount-probe-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe.dir], { stdio: 'ignore' });
    execFileSync('umount', [probe.dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    probe.remove();
  }
}
