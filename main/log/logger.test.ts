import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../appError';
import { createLogger, refundLog } from './logger';
import { Redactor } from './redaction';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lines = (file: string) => readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l !== '');

describe('logger', () => {
  it("writes electron-log's line format with the fields as JSON, one line per call", () => {
    const log = createLogger({ dir });
    log.info('refund step', { step: 'fiscalizing', documentNumber: 42 });
    log.warn('two\nlines');
    const [first, second] = lines(log.file);
    expect(first).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] \[info\] {2}refund step \{"step":"fiscalizing","documentNumber":42\}$/);
    expect(second).toMatch(/\[warn\] {2}two\\nlines$/);
    expect(lines(log.file)).toHaveLength(2);
  });

  it('keeps percent signs and braces as written', () => {
    const log = createLogger({ dir });
    log.info('скидка 10% %s %d {text}', { note: '%%' });
    expect(lines(log.file)[0]).toContain('скидка 10% %s %d {text} {"note":"%%"}');
  });

  it('filters by level', () => {
    const log = createLogger({ dir, level: 'warn' });
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(lines(log.file).map((l) => l.replace(/^\[[^\]]+\] /, ''))).toEqual(['[warn]  w', '[error] e']);
  });

  it('refundLog puts the refund id on every line, children merge fields', () => {
    const log = createLogger({ dir });
    const r = refundLog(log, 'c0ffee00-0000-4000-8000-000000000001');
    r.info('confirmed');
    r.child({ backend: 'lifepos' }).error('job failed', { attempt: 2 });
    const [a, b] = lines(log.file);
    expect(a).toContain('confirmed {"refundId":"c0ffee00-0000-4000-8000-000000000001"}');
    expect(b).toContain('{"refundId":"c0ffee00-0000-4000-8000-000000000001","backend":"lifepos","attempt":2}');
  });

  it('masks secret-named fields and configured secret values everywhere', () => {
    const secret = 'sk_live_Abc/123+xyz';
    const log = createLogger({ dir, secrets: [secret] });
    log.addSecret('regos-pass-77');
    log.info(`GET https://api.example/x?key=${encodeURIComponent(secret)}`, {
      token: 'bridge-token-value',
      headers: { Authorization: 'Bearer zzz', 'x-api-key': 'k1k2k3k4', accept: 'json' },
      nested: [{ password: 'hunter2', body: `{"apiKey":"${secret}"}` }],
      operatorPassword: '30',
      error: new AppError({ code: 'regos.auth', message: 'Неверный пароль', detail: 'login admin / regos-pass-77 refused' }),
    });
    const text = readFileSync(log.file, 'utf8');
    for (const leaked of [secret, encodeURIComponent(secret), 'bridge-token-value', 'Bearer zzz', 'k1k2k3k4', 'hunter2', 'regos-pass-77', '"30"']) {
      expect(text).not.toContain(leaked);
    }
    expect(text).toContain('"accept":"json"');
    expect(text).toContain('"code":"regos.auth"');
    expect(text).toContain('login admin / *** refused');
  });

  it('survives circular fields and bigint', () => {
    const log = createLogger({ dir });
    const a: Record<string, unknown> = { n: 1n };
    a.self = a;
    log.info('x', { a });
    expect(lines(log.file)[0]).toContain('{"a":{"n":"1","self":"[circular]"}}');
  });

  it('rotates by size and keeps only N old files', () => {
    const log = createLogger({ dir, maxBytes: 200, keep: 3 });
    for (let i = 0; i < 40; i++) log.info(`line ${i} ${'x'.repeat(60)}`);
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['main.1.log', 'main.2.log', 'main.3.log', 'main.log']);
    expect(readFileSync(log.file, 'utf8')).toContain('line 39');
    expect(readFileSync(join(dir, 'main.1.log'), 'utf8')).not.toContain('line 39');
    expect(existsSync(join(dir, 'main.4.log'))).toBe(false);
  });
});

describe('Redactor', () => {
  it('masks the longest secret first and ignores very short ones', () => {
    const r = new Redactor(['abcd', 'abcdefgh', '1']);
    expect(r.text('abcdefgh abcd 1')).toBe('*** *** 1');
  });
});
