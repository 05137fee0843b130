import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startPtyAtol, type AtolEmulator } from '../../../emulators/atol/device';

/** `npm run fiscal -- … --protocol atol` against the ATOL emulator on a socat pty. */
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

let emu: AtolEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('npm run fiscal -- --protocol atol', () => {
  it('status and last-document talk ATOL; the Shtrih-M protocol on the same port gets no answer', async () => {
    emu = await startPtyAtol({ printMs: 5 });
    const path = (emu.port as { path: string }).path;
    const status = await cli(['status', '--port', path, '--protocol', 'atol']);
    expect(status.err).toBe('');
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/Смена открыта \/ shift open:\s+нет/);
    expect(status.out).toMatch(/Номер ФН \/ FN number:\s+9999078900001234/);
    const last = await cli(['last-document', '--port', path, '--protocol', 'atol']);
    expect(last.code).toBe(3);
    expect(last.err).toMatch(/В ФН ещё нет документов/);
    const wrong = await cli(['status', '--port', path, '--protocol', 'shtrih']);
    expect(wrong.code).toBe(4);
  });

  it('refuses an unknown protocol with the usage text', async () => {
    const r = await cli(['status', '--port', '/dev/null', '--protocol', 'epson']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--protocol shtrih or atol/);
  });
});
