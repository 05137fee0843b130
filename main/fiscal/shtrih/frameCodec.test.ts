import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ACK, ENQ, FrameParser, NAK, STX, encodeFrame, lrc, splitCommand, commandBytes, type LinkEvent } from './frameCodec';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('golden frames (published captures, see PROTOCOL.md §Golden frames)', () => {
  // Each row: the payload we build, the exact bytes a published capture shows on the wire.
  const golden: Array<[string, string, string]> = [
    ['0x10 short status, password 30', '10 1E 00 00 00', '02 05 10 1E 00 00 00 0B'],
    ['0x10 short status, password 2', '10 02 00 00 00', '02 05 10 02 00 00 00 17'],
    ['0xFF01 FN status, password 30', 'FF 01 1E 00 00 00', '02 06 FF 01 1E 00 00 00 E6'],
    ['0xFF02 FN number, password 2', 'FF 02 02 00 00 00', '02 06 FF 02 02 00 00 00 F9'],
    ['0xFF01 FN status, password 2', 'FF 01 02 00 00 00', '02 06 FF 01 02 00 00 00 FA'],
  ];
  for (const [name, payload, wire] of golden) {
    it(`encodes ${name} byte for byte`, () => {
      expect(encodeFrame(hex(payload)).toString('hex')).toBe(hex(wire).toString('hex'));
    });
    it(`parses ${name} back`, () => {
      const events = new FrameParser().push(hex(wire));
      expect(events).toEqual([{ kind: 'frame', payload: hex(payload) }]);
    });
  }

  it('flags a frame whose LRC was damaged', () => {
    const wire = hex('02 05 10 1E 00 00 00 0C');
    expect(new FrameParser().push(wire)).toEqual([{ kind: 'badFrame', payload: hex('10 1E 00 00 00') }]);
  });

  it('splits one- and two-byte command codes', () => {
    expect(splitCommand(hex('FF 46 01 02'))).toEqual({ code: 0xff46, rest: hex('01 02') });
    expect(splitCommand(hex('10 1E'))).toEqual({ code: 0x10, rest: hex('1E') });
    expect(commandBytes(0xff45)).toEqual(hex('FF 45'));
    expect(commandBytes(0x88)).toEqual(hex('88'));
  });
});

const payloadArb = fc.uint8Array({ minLength: 1, maxLength: 255 }).map((a) => Buffer.from(a));
const controlArb = fc.constantFrom(ENQ, ACK, NAK);
/** A unit of a wire stream: either a whole frame or a lone control byte. */
const unitArb = fc.oneof(
  payloadArb.map((p) => ({ kind: 'frame' as const, payload: p })),
  controlArb.map((b) => ({ kind: 'control' as const, byte: b })),
);

function wireOf(units: Array<{ kind: 'frame'; payload: Buffer } | { kind: 'control'; byte: number }>): Buffer {
  return Buffer.concat(units.map((u) => (u.kind === 'frame' ? encodeFrame(u.payload) : Buffer.from([u.byte]))));
}

function chunk(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  out.push(buf.subarray(prev));
  return out;
}

function feed(parser: FrameParser, chunks: Buffer[]): LinkEvent[] {
  return chunks.flatMap((c) => parser.push(c));
}

describe('codec properties', () => {
  it('decode(encode(p)) = p for every payload', () => {
    fc.assert(
      fc.property(payloadArb, (p) => {
        expect(new FrameParser().push(encodeFrame(p))).toEqual([{ kind: 'frame', payload: p }]);
      }),
    );
  });

  it('any split or glue of a stream of frames and control bytes yields the same events', () => {
    fc.assert(
      fc.property(fc.array(unitArb, { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { maxLength: 40 }), (units, cuts) => {
        const events = feed(new FrameParser(), chunk(wireOf(units), cuts));
        expect(events).toEqual(units);
      }),
    );
  });

  it('byte-at-a-time feeding equals one-shot feeding', () => {
    fc.assert(
      fc.property(fc.array(unitArb, { minLength: 1, maxLength: 6 }), (units) => {
        const wire = wireOf(units);
        const oneByOne = feed(new FrameParser(), [...wire].map((b) => Buffer.from([b])));
        expect(oneByOne).toEqual(units);
      }),
    );
  });

  it('a single damaged byte inside a frame is never reported as a good frame', () => {
    fc.assert(
      fc.property(payloadArb, fc.nat(), fc.integer({ min: 1, max: 255 }), (p, at, mask) => {
        const wire = encodeFrame(p);
        // Damage a payload or LRC byte; a damaged LEN can re-frame the bytes, which only the transport's timeouts catch.
        const i = 2 + (at % (wire.length - 2));
        wire[i] = (wire[i] ?? 0) ^ mask;
        const events = new FrameParser().push(wire);
        expect(events.some((e) => e.kind === 'frame')).toBe(false);
      }),
    );
  });

  it('recovers after garbage and a reset: the next frame parses', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), payloadArb, (noise, p) => {
        const parser = new FrameParser();
        parser.push(Buffer.from(noise));
        parser.reset();
        const events = parser.push(encodeFrame(p));
        expect(events.filter((e) => e.kind === 'frame')).toEqual([{ kind: 'frame', payload: p }]);
      }),
    );
  });

  it('lrc is XOR: a frame LRC equals LEN xor payload', () => {
    fc.assert(
      fc.property(payloadArb, (p) => {
        const f = encodeFrame(p);
        expect(f[0]).toBe(STX);
        expect(f[f.length - 1]).toBe(lrc(p, p.length));
      }),
    );
  });
});
