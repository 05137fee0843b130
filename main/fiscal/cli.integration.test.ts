import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startPtyEmulator, type PtyEmulator } from '../../emulators/shtrih/pty';
import { startPtyAtol, type AtolEmulator } from '../../emulators/atol/device';

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

let shtrih: PtyEmulator | undefined;
let atol: AtolEmulator | undefined;
afterEach(async () => {
  await shtrih?.close();
  await atol?.close();
  shtrih = atol = undefined;
});

describe('npm run fiscal -- --protocol auto', () => {
  it('finds a Shtrih-M device on its pty by its own status request, says so, and reads its status', async () => {
    shtrih = await startPtyEmulator({ processingScale: 0 });
    const r = await cli(['status', '--port', shtrih.path, '--protocol', 'auto']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Протокол определён \/ protocol detected: Штрих-М \(shtrih\)$/m);
    expect(r.out).toMatch(/Протокол \/ protocol:\s+Штрих-М/);
    expect(r.out).toMatch(/Смена открыта \/ shift open:\s+нет/);
  });

  it('finds an ATOL device on its pty after Shtrih-M got no answer, and reads its status', async () => {
    atol = await startPtyAtol({ printMs: 5 });
    const path = (atol.port as { path: string }).path;
    const r = await cli(['status', '--port', path, '--protocol', 'auto']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Протокол определён \/ protocol detected: АТОЛ \(atol\)$/m);
    expect(r.out).toMatch(/Номер ФН \/ FN number:\s+9999078900001234/);
    // The ATOL device heard one status task from the probe and the driver's own requests, nothing printed.
    expect(atol.device.model.state.documents).toEqual([]);
  });

  it('a port where nothing answers: exit 4 and the Russian message naming both protocols', async () => {
    shtrih = await startPtyEmulator({ processingScale: 0 });
    shtrih.setFault({ silent: true });
    const r = await cli(['status', '--port', shtrih.path, '--protocol', 'auto']);
    expect(r.code).toBe(4);
    expect(r.err).toMatch(/ККТ не ответила ни по одному протоколу \(Штрих-М, АТОЛ\)/);
    expect(r.err + r.out).not.toMatch(STACK_LINE);
  });
});

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
