import { afterEach, describe, expect, it } from 'vitest';
import { createDevice, type EmulatedDevice } from './device';
import { Byte, WireReader, frameOf, type WireEvent } from './wire';

/**
 * What the device answers to ENQ in each phase of a command (PROTOCOL.md §Link, pyshtrih `init()` and
 * `handle_response()`): NAK only when it holds nothing; ACK while it executes a command or holds an answer
 * the host has not ACKed. A host relies on this to never send a command twice.
 */
const status = Buffer.from([0x10, 30, 0, 0, 0]);
const devices: EmulatedDevice[] = [];
afterEach(() => {
  for (const d of devices.splice(0)) d.link.close();
});

/** A device whose status command takes `statusMs`, with every event it puts on the line. */
function device(statusMs: number): { link: EmulatedDevice['link']; next: () => Promise<WireEvent> } {
  const reader = new WireReader();
  const events: WireEvent[] = [];
  let wake: (() => void) | undefined;
  const d = createDevice({ processingScale: 1, processing: { status: statusMs } }, (bytes) => {
    events.push(...reader.feed(bytes));
    wake?.();
  });
  devices.push(d);
  const next = async (): Promise<WireEvent> => {
    while (events.length === 0) await new Promise<void>((r) => (wake = r));
    return events.shift() as WireEvent;
  };
  return { link: d.link, next };
}

describe('DeviceLink answers ENQ truthfully', () => {
  it('idle → NAK; executing → ACK; answer not yet ACKed → ACK and the answer again; after the ACK → NAK', async () => {
    const { link, next } = device(300);
    link.receive(Buffer.from([Byte.ENQ]));
    expect(await next()).toEqual({ kind: 'nak' });

    link.receive(frameOf(status));
    expect(await next()).toEqual({ kind: 'ack' });
    // Still executing (300 ms): the command is held, so ENQ is answered ACK, never NAK.
    link.receive(Buffer.from([Byte.ENQ]));
    expect(await next()).toEqual({ kind: 'ack' });
    const answer = await next();
    expect(answer.kind).toBe('frame');

    // The host did not ACK the answer: ENQ fetches it again, the command is not run again.
    link.receive(Buffer.from([Byte.ENQ]));
    expect(await next()).toEqual({ kind: 'ack' });
    expect(await next()).toEqual(answer);
    expect(link.stats.commands).toBe(1);

    link.receive(Buffer.from([Byte.ACK]));
    link.receive(Buffer.from([Byte.ENQ]));
    expect(await next()).toEqual({ kind: 'nak' });
    expect(link.stats.commands).toBe(1);
  });
});
