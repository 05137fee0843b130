/**
 * Shtrih-M link layer framing: STX, LEN, payload (command code + data), LRC.
 * LEN counts the payload bytes; LRC is the XOR of LEN and every payload byte (STX excluded).
 * Control bytes ENQ/ACK/NAK travel alone, between frames. Sources: main/fiscal/shtrih/PROTOCOL.md §Link.
 */
export const STX = 0x02;
export const ENQ = 0x05;
export const ACK = 0x06;
export const NAK = 0x15;

/** LEN is one byte, and a frame carries at least the one-byte command code. */
export const MAX_PAYLOAD = 255;

export function lrc(bytes: Uint8Array, initial = 0): number {
  let x = initial;
  for (const b of bytes) x ^= b;
  return x;
}

export function encodeFrame(payload: Uint8Array): Buffer {
  if (payload.length < 1 || payload.length > MAX_PAYLOAD) {
    throw new RangeError(`frame payload must be 1..${MAX_PAYLOAD} bytes, got ${payload.length}`);
  }
  const out = Buffer.alloc(payload.length + 3);
  out[0] = STX;
  out[1] = payload.length;
  out.set(payload, 2);
  out[out.length - 1] = lrc(payload, payload.length);
  return out;
}

export type LinkEvent =
  | { kind: 'frame'; payload: Buffer }
  /** A complete frame whose LRC did not match: the receiver answers NAK. */
  | { kind: 'badFrame'; payload: Buffer }
  | { kind: 'control'; byte: typeof ENQ | typeof ACK | typeof NAK }
  /** Bytes outside any frame that mean nothing: line noise or the tail of a lost frame. */
  | { kind: 'garbage'; bytes: Buffer };

/**
 * Push-based streaming parser: feed any chunking (split, glued, with noise) and get whole events back.
 * It has no clock; the owner calls `reset()` after an inter-byte timeout, which is how a receiver
 * resynchronises after a length byte was corrupted and the parser waits for bytes that never come.
 */
export class FrameParser {
  private state: 'idle' | 'len' | 'body' = 'idle';
  private need = 0;
  private body: Buffer = Buffer.alloc(0);
  private filled = 0;
  private garbage: number[] = [];

  get midFrame(): boolean {
    return this.state !== 'idle';
  }

  push(chunk: Uint8Array): LinkEvent[] {
    const events: LinkEvent[] = [];
    for (const b of chunk) {
      switch (this.state) {
        case 'idle':
          if (b === STX) {
            this.flushGarbage(events);
            this.state = 'len';
          } else if (b === ENQ || b === ACK || b === NAK) {
            this.flushGarbage(events);
            events.push({ kind: 'control', byte: b });
          } else {
            this.garbage.push(b);
          }
          break;
        case 'len':
          if (b === 0) {
            // A zero length cannot start a frame: STX was noise.
            this.garbage.push(STX, b);
            this.state = 'idle';
          } else {
            this.need = b;
            this.body = Buffer.alloc(b + 1);
            this.filled = 0;
            this.state = 'body';
          }
          break;
        case 'body':
          this.body[this.filled++] = b;
          if (this.filled === this.need + 1) {
            const payload = this.body.subarray(0, this.need);
            const ok = lrc(payload, this.need) === this.body[this.need];
            events.push({ kind: ok ? 'frame' : 'badFrame', payload: Buffer.from(payload) });
            this.state = 'idle';
          }
          break;
      }
    }
    this.flushGarbage(events);
    return events;
  }

  /** Drops a half-received frame; returns its bytes so the caller can log them. */
  reset(): Buffer {
    const partial = this.state === 'body' ? Buffer.from(this.body.subarray(0, this.filled)) : Buffer.alloc(0);
    this.state = 'idle';
    this.filled = 0;
    this.need = 0;
    return partial;
  }

  private flushGarbage(events: LinkEvent[]): void {
    if (this.garbage.length > 0) {
      events.push({ kind: 'garbage', bytes: Buffer.from(this.garbage) });
      this.garbage = [];
    }
  }
}

/** Commands 0x00..0xFE are one byte; 0xFF is a prefix for the FN command set (0xFF01, 0xFF46 ...). */
export function commandBytes(code: number): Buffer {
  if (code > 0xff) return Buffer.from([code >> 8, code & 0xff]);
  return Buffer.from([code]);
}

export function splitCommand(payload: Buffer): { code: number; rest: Buffer } {
  const first = payload[0];
  if (first === undefined) throw new RangeError('empty payload');
  if (first === 0xff) {
    const second = payload[1];
    if (second === undefined) throw new RangeError('truncated 0xFF command');
    return { code: 0xff00 | second, rest: payload.subarray(2) };
  }
  return { code: first, rest: payload.subarray(1) };
}
