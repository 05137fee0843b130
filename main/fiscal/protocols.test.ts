import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../appError';
import { createInMemoryEmulator, type InMemoryEmulator } from '../../emulators/shtrih/memory';
import { createInMemoryAtol, type AtolEmulator } from '../../emulators/atol/device';
import { createPipe } from '../../emulators/memoryPipe';
import { PROTOCOLS, connectFiscalDevice, detectProtocol } from './protocols';
import type { FiscalDevice, FiscalProtocol } from './device';
import { FrameParser } from './atol/frame';

// Generous: on a loaded test machine the event loop alone can take longer than a real device does to answer.
const PROBE_MS = 1_000;
const SHTRIH_TIMEOUTS = { enqMs: 40, ackMs: 60, interByteMs: 20, answerMs: 500, paperPollMs: 5, paperWaitMs: 2_000, busyRetryMs: 5 };

let shtrih: InMemoryEmulator | undefined;
let atol: AtolEmulator | undefined;
let device: FiscalDevice | undefined;
afterEach(async () => {
  await device?.close();
  await shtrih?.close();
  await atol?.close();
  device = shtrih = atol = undefined;
});

describe("'auto' tells the protocols apart by their own status requests", () => {
  it('a Shtrih-M device: found by its first probe, which ran one 0x10 status request and nothing else', async () => {
    shtrih = createInMemoryEmulator({ processingScale: 0, byteTimeoutMs: 10 });
    expect(await detectProtocol(shtrih.port, PROBE_MS)).toBe('shtrih');
    expect(shtrih.stats.commands).toBe(1);
  });

  it("an ATOL device: Shtrih-M's ENQ goes unanswered, then one 3F task runs", async () => {
    atol = createInMemoryAtol({ printMs: 1 });
    const port = atol.port as Exclude<AtolEmulator['port'], { path: string }>;
    expect(await detectProtocol(port, PROBE_MS)).toBe('atol');
    expect(atol.device.link.stats.tasksRun).toBe(1);
  });

  it("ATOL's probe on a Shtrih-M device gets no answer and runs no Shtrih-M command", async () => {
    shtrih = createInMemoryEmulator({ processingScale: 0, byteTimeoutMs: 10 });
    expect(await PROTOCOLS.atol.probe(shtrih.port, PROBE_MS)).toBe(false);
    expect(shtrih.stats.commands).toBe(0);
    // The port was lent, not closed: the right protocol still answers on it.
    expect(await PROTOCOLS.shtrih.probe(shtrih.port, PROBE_MS)).toBe(true);
  });

  it('a silent line: no protocol, and connecting says so in Russian without sending anything fiscal', async () => {
    const [host, far] = createPipe();
    const heard: Buffer[] = [];
    far.onData((c) => heard.push(c));
    expect(await detectProtocol(host, PROBE_MS)).toBeNull();
    const failure = await connectFiscalDevice('auto', { port: host }).catch((e: unknown) => e);
    expect(isAppError(failure) && failure.code).toBe('FISCAL_NO_ANSWER');
    expect(isAppError(failure) && failure.message).toMatch(/ККТ не ответила ни по одному протоколу \(Штрих-М, АТОЛ\)/);
    // Shtrih-M sent only ENQ (05), never a frame; ATOL only frames about its 3F status task.
    const bytes = Buffer.concat(heard);
    const atolStart = bytes.indexOf(0xfe);
    expect(atolStart).toBeGreaterThan(0);
    expect([...bytes.subarray(0, atolStart)]).toEqual([0x05]);
    const frames = new FrameParser().push(bytes.subarray(atolStart));
    expect(frames.length).toBeGreaterThan(0);
    for (const f of frames) {
      expect(f.kind).toBe('frame');
      // C1 ADD of the 3F task, or C3 REQ asking after it.
      if (f.kind === 'frame') expect(f.data[0] === 0xc3 || (f.data[0] === 0xc1 && f.data.at(-1) === 0x3f)).toBe(true);
    }
    await far.close();
  });

  it.each<[FiscalProtocol]>([['shtrih'], ['atol']])('connect %s through auto: the device that answered, and who heard of it', async (protocol) => {
    const found: string[] = [];
    if (protocol === 'shtrih') {
      shtrih = createInMemoryEmulator({ processingScale: 0, byteTimeoutMs: 10 });
      device = await connectFiscalDevice('auto', { port: shtrih.port, timeouts: SHTRIH_TIMEOUTS }, (p) => found.push(p));
    } else {
      atol = createInMemoryAtol({ printMs: 1 });
      device = await connectFiscalDevice('auto', { port: atol.port }, (p) => found.push(p));
    }
    expect(found).toEqual([protocol]);
    expect(device.identity.protocol).toBe(protocol);
    expect(device.connectStatus.shiftOpen).toBe(false);
  });
});
