import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/queue/tempDir';
import { pruneLogFiles } from './logRetention';
import { rotateLogFiles } from './rotateLogFiles';

const DAY = 24 * 60 * 60 * 1000;
const MB = 1024 * 1024;
const NOW = Date.UTC(2026, 11, 1, 12);

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('logs-');
});
afterEach(() => tmp.remove());

function logFile(name: string, ageDays: number, bytes = 100): void {
  const file = tmp.file(name);
  writeFileSync(file, Buffer.alloc(bytes, 0x61));
  const at = new Date(NOW - ageDays * DAY);
  utimesSync(file, at, at);
}

const names = () => readdirSync(tmp.dir).sort();

describe('pruneLogFiles', () => {
  it('removes rotated files older than the period and nothing else', () => {
    logFile('main.log', 400);
    logFile('main.1.log', 2);
    logFile('main.2.log', 29);
    logFile('main.3.log', 31);
    logFile('main.4.log', 90);
    logFile('shell.1.log', 45);
    logFile('notes.txt', 400);
    logFile('main.old.log', 400);
    expect(pruneLogFiles(tmp.dir, { logDays: 30, logMaxMegabytes: 200 }, NOW).sort()).toEqual(['main.3.log', 'main.4.log', 'shell.1.log']);
    expect(names()).toEqual(['main.1.log', 'main.2.log', 'main.log', 'main.old.log', 'notes.txt']);
  });

  it('over the size cap the oldest go first, even small ones behind a big one; the current file is never counted or removed', () => {
    logFile('main.log', 0, 30 * MB);
    logFile('main.1.log', 1, 4 * MB);
    logFile('main.2.log', 2, 4 * MB);
    logFile('main.3.log', 3, 4 * MB);
    logFile('main.4.log', 4, 1);
    expect(pruneLogFiles(tmp.dir, { logDays: 30, logMaxMegabytes: 10 }, NOW).sort()).toEqual(['main.3.log', 'main.4.log']);
    expect(names()).toEqual(['main.1.log', 'main.2.log', 'main.log']);
  });

  it('rotation goes on after a clean-up left gaps in the numbering', () => {
    for (const [name, age] of [['main.log', 0], ['main.1.log', 1], ['main.2.log', 40], ['main.3.log', 41]] as const) logFile(name, age);
    pruneLogFiles(tmp.dir, { logDays: 30, logMaxMegabytes: 200 }, NOW);
    rotateLogFiles(tmp.file('main.log'), 10);
    expect(names()).toEqual(['main.1.log', 'main.2.log']);
  });

  it('a logs folder that does not exist yet is nothing to do', () => {
    expect(pruneLogFiles(join(tmp.dir, 'logs'), { logDays: 30, logMaxMegabytes: 200 }, NOW)).toEqual([]);
  });
});
