import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ESC, FrameParser, STX, crc8, encodeFrame, type FrameEvent } from './frame';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const parseAll = (bytes: Uint8Array): FrameEvent[] => new FrameParser().push(bytes);

describe('ATOL link v3 frames', () => {
  // Golden frames: kurbatov/atol4j TransportProtocolV3Test (PROTOCOL.md §2).
  it('encodes the empty packet 1 as FE 00 00 01 9D', () => {
    expect(encodeFrame(1, Buffer.alloc(0))).toEqual(hex('FE 00 00 01 9D'));
  });

  it('decodes an async answer whose CRC is FE, sent escaped as FD EE', () => {
    const events = parseAll(hex('FE 05 00 F0 A6 57 55 00 00 FD EE'));
    expect(events).toEqual([{ kind: 'frame', id: 0xf0, data: hex('A6 57 55 00 00') }]);
    expect(crc8(0xf0, hex('A6 57 55 00 00'))).toBe(STX);
  });

  it('escapes FE and FD in the data and counts the length before escaping', () => {
    const frame = encodeFrame(7, hex('01 FE 02 FD'));
    expect(frame.subarray(0, 4)).toEqual(hex('FE 04 00 07'));
    expect(frame.subarray(4, 10)).toEqual(hex('01 FD EE 02 FD ED'));
  });

  it('splits a length above 127 into 7 + 8 bits', () => {
    const frame = encodeFrame(2, Buffer.alloc(300, 0x41));
    expect([frame[1], frame[2]]).toEqual([300 & 0x7f, 300 >> 7]);
    expect(parseAll(frame)).toEqual([{ kind: 'frame', id: 2, data: Buffer.alloc(300, 0x41) }]);
  });

  const dataArb = fc.uint8Array({ maxLength: 200 });
  const idArb = fc.integer({ min: 0, max: 0xdf });

  it('round-trips any data through escaping, however the bytes are chunked', () => {
    fc.assert(
      fc.property(idArb, dataArb, fc.array(fc.nat(), { maxLength: 10 }), (id, data, cuts) => {
        const frame = encodeFrame(id, data);
        for (let i = 4; i < frame.length; i++) {
          // Outside the header, FE only ever opens a frame.
          expect(frame[i]).not.toBe(STX);
        }
        const parser = new FrameParser();
        const points = [...new Set(cuts.map((c) => c % (frame.length + 1)))].sort((a, b) => a - b);
        const events: FrameEvent[] = [];
        let from = 0;
        for (const p of [...points, frame.length]) {
          events.push(...parser.push(frame.subarray(from, p)));
          from = p;
        }
        expect(events).toEqual([{ kind: 'frame', id, data: Buffer.from(data) }]);
      }),
    );
  });

  it('rejects any frame whose id or data differ in one byte from what the CRC was computed over', () => {
    // CRC-8 with a non-zero constant term detects every error burst of up to 8 bits: one changed byte.
    fc.assert(
      fc.property(idArb, fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (id, data, at, flip) => {
        const sent = Buffer.from(data);
        const received = Buffer.from(data);
        const i = at % received.length;
        received[i] = (received[i] ?? 0) ^ flip;
        const frame = Buffer.from(encodeFrame(id, received));
        const crc = crc8(id, sent);
        fc.pre(crc !== STX && crc !== ESC && frame.at(-2) !== ESC);
        frame[frame.length - 1] = crc;
        const events = parseAll(frame);
        expect(events).toEqual([{ kind: 'bad', id, reason: 'CRC mismatch' }]);
      }),
    );
  });

  it('loses only the frame a byte went missing from, and finds the next one', () => {
    fc.assert(
      fc.property(idArb, dataArb, dataArb, fc.nat(), (id, a, b, at) => {
        const first = encodeFrame(id, a);
        const drop = 1 + (at % (first.length - 1));
        const damaged = Buffer.concat([first.subarray(0, drop), first.subarray(drop + 1)]);
        const second = encodeFrame((id + 1) % 0xe0, b);
        const events = parseAll(Buffer.concat([damaged, second]));
        expect(events.at(-1)).toEqual({ kind: 'frame', id: (id + 1) % 0xe0, data: Buffer.from(b) });
        expect(events.filter((e) => e.kind === 'frame' && e.id === id && e.data.equals(Buffer.from(a)))).toHaveLength(0);
      }),
    );
  });

  it('reports a bad escape and a cut frame', () => {
    expect(parseAll(hex('FE 01 00 03 FD 11 00'))).toEqual([{ kind: 'bad', id: 3, reason: 'escape followed by 11' }]);
    const parser = new FrameParser();
    expect(parser.push(hex('FE 03 00 04 01'))).toEqual([]);
    expect(parser.midFrame).toBe(true);
    expect(parser.reset()).toEqual({ kind: 'bad', id: 4, reason: 'frame cut short' });
    expect(ESC).toBe(0xfd);
  });
});
