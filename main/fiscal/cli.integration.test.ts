import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * The IT tool on this machine (no udevadm here, as on a fresh Debian): every subcommand's expected
 * failure ends with a Russian message and its exit code, never a Node stack trace.
 */
function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/fiscal/cli.ts', ...args], { cwd: process.cwd() });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

const STACK_LINE = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;

describe('npm run fiscal', () => {
  it.runIf(process.platform === 'linux')('ports: lists this machine\'s ports from sysfs and exits 0', async () => {
    const r = await cli(['ports']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    if (lines[0]?.startsWith('Последовательные порты не найдены')) expect(lines).toHaveLength(1);
    else for (const line of lines.slice(1)) expect(line).toMatch(/^\/dev\/tty(ACM|USB|S)\d+(\t|$)/);
  });

  it.each([
    { args: ['status', '--port', '/dev/no-such-port'], code: 4, text: /Не удалось открыть порт \/dev\/no-such-port/ },
    { args: ['x-report', '--port', '/tmp'], code: 4, text: /Не удалось открыть порт \/tmp/ },
    { args: ['last-document', '--port', '/dev/null', '--baud', '9600'], code: 4, text: /Не удалось открыть порт \/dev\/null/ },
    { args: ['status'], code: 2, text: /Нужен --port/ },
    { args: ['status', '--port', '/dev/ttyS0', '--baud', 'fast'], code: 2, text: /целые --baud/ },
    { args: ['refund'], code: 2, text: /Неизвестная команда/ },
    { args: ['--no-such-option'], code: 2, text: /Использование/ },
    { args: ['ports', 'extra'], code: 2, text: /Использование/ },
  ])('fiscal $args: exit $code, Russian message, no stack trace', async ({ args, code, text }) => {
    const r = await cli(args);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(text);
    expect(r.err + r.out).not.toMatch(STACK_LINE);
  });
});
