import { describe, expect, it } from 'vitest';
import { createAtolDevice } from './device';
import { encodeFrame } from '../../main/fiscal/atol/frame';

/** The emulator's own frame code checked against the driver's codec and PROTOCOL.md §2–3's rules. */
function device(): { receive: (bytes: Buffer | number[]) => void; out: Buffer[]; d: ReturnType<typeof createAtolDevice> } {
  const out: Buffer[] = [];
  const d = createAtolDevice({ printMs: 0 }, (b) => out.push(b));
  return { receive: (bytes) => d.link.receive(Buffer.from(bytes)), out, d };
}

const add = (id: number, tid: number, command: number[]): Buffer => encodeFrame(id, Buffer.from([0xc1, 1, tid, 0, 0, ...command]));

describe('ATOL emulator link', () => {
  it('answers the golden empty packet FE 00 00 01 9D with "illegal value" in packet 1', () => {
    const { receive, out } = device();
    receive([0xfe, 0x00, 0x00, 0x01, 0x9d]);
    expect(out).toEqual([encodeFrame(1, Buffer.from([0xb4]))]);
  });

  it('asks for a damaged packet again with an empty packet of its id', () => {
    const { receive, out } = device();
    const frame = Buffer.from(add(5, 1, [0x3f]));
    frame[frame.length - 1] = (frame.at(-1) ?? 0) ^ 0x01;
    receive(frame);
    expect(out).toEqual([encodeFrame(5, Buffer.alloc(0))]);
  });

  it('runs a task once: a repeated ADD is "already exists", REQ returns the held result until ACK', () => {
    const { receive, out, d } = device();
    receive(add(1, 7, [0x4c, 0x41]));
    expect(out.at(-1)).toEqual(encodeFrame(1, Buffer.from([0xa3, 0x55, 0, 0])));
    receive(add(1, 7, [0x4c, 0x41]));
    expect(out.at(-1)).toEqual(encodeFrame(1, Buffer.from([0xb2])));
    receive(encodeFrame(2, Buffer.from([0xc3, 7])));
    expect(out.at(-1)).toEqual(encodeFrame(2, Buffer.from([0xa3, 0x55, 0, 0])));
    receive(encodeFrame(3, Buffer.from([0xc2, 7])));
    receive(encodeFrame(4, Buffer.from([0xc3, 7])));
    expect(out.at(-1)).toEqual(encodeFrame(4, Buffer.from([0xb3])));
    expect(d.model.state.printed).toEqual(['A']);
  });

  it('reports a device error as task status A4 with the 55 EC EXT answer', () => {
    const { receive, out } = device();
    receive(add(1, 1, [0x59]));
    expect(out.at(-1)).toEqual(encodeFrame(1, Buffer.from([0xa4, 0x55, 154, 0])));
  });

  it('goes dark after a power cut and annuls the open receipt at power-on', () => {
    const { receive, out, d } = device();
    d.link.setFaults({ powerLossAfter: 0x92 });
    receive(add(1, 1, [0x56, 1, 0, 0, 0, 0x30]));
    d.model.state.shift = { open: true, number: 1, openedAtMs: Date.now(), receipts: 0 };
    receive(add(2, 2, [0x92, 0, 2]));
    expect(d.link.poweredOff).toBe(true);
    expect(d.model.state.receipt).not.toBeNull();
    const sent = out.length;
    receive(encodeFrame(3, Buffer.from([0xc3, 2])));
    expect(out).toHaveLength(sent);
    const reborn = createAtolDevice({ printMs: 0 }, () => undefined, d.model.state);
    expect(reborn.model.state.receipt).toBeNull();
  });
});
