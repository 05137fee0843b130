/**
 * ATOL link v3 frames (PROTOCOL.md §2): FE, length (7 + 8 bits), packet id, escaped data, CRC-8.
 * Shared by the driver and the emulator: it is the wire format, not either side's logic.
 */
export const STX = 0xfe;
export const ESC = 0xfd;
const TSTX = 0xee;
const TESC = 0xed;
/** Highest packet and task id; both wrap to 0 after it (PROTOCOL.md §2). */
export const MAX_ID = 0xdf;
/** LEN0 carries 7 bits and LEN1 8 more. */
export const MAX_DATA = 0x7fff;

function crcStep(crc: number, byte: number): number {
  let c = crc ^ byte;
  for (let k = 0; k < 8; k++) c = c & 0x80 ? ((c << 1) ^ 0x31) & 0xff : (c << 1) & 0xff;
  return c;
}

/** CRC-8, polynomial 0x31, initial 0xFF, over the packet id and the unescaped data. */
export function crc8(id: number, data: Uint8Array): number {
  let crc = crcStep(0xff, id);
  for (const b of data) crc = crcStep(crc, b);
  return crc;
}

function pushEscaped(out: number[], b: number): void {
  if (b === STX) out.push(ESC, TSTX);
  else if (b === ESC) out.push(ESC, TESC);
  else out.push(b);
}

export function encodeFrame(id: number, data: Uint8Array): Buffer {
  if (!Number.isInteger(id) || id < 0 || id > 0xff || id === STX || id === ESC) throw new RangeError(`packet id ${id} out of range`);
  if (data.length > MAX_DATA) throw new RangeError(`frame data of ${data.length} bytes is too long`);
  const out: number[] = [STX, data.length & 0x7f, data.length >> 7, id];
  for (const b of data) pushEscaped(out, b);
  pushEscaped(out, crc8(id, data));
  return Buffer.from(out);
}

export type FrameEvent =
  | { kind: 'frame'; id: number; data: Buffer }
  /** A frame that started but is damaged (checksum, escape, or cut by a new FE). `id` when it was read. */
  | { kind: 'bad'; id: number | undefined; reason: string };

type Stage = 'idle' | 'len0' | 'len1' | 'id' | 'data' | 'crc';

/** Byte-stream parser: resynchronises on FE, so a lost byte costs one frame, never the stream. */
export class FrameParser {
  private stage: Stage = 'idle';
  private len = 0;
  private id = 0;
  private data: number[] = [];
  private escaped = false;

  get midFrame(): boolean {
    return this.stage !== 'idle';
  }

  /** Drops a half-received frame (the sender went quiet); returns whether there was one. */
  reset(): FrameEvent | undefined {
    const was = this.stage;
    const id = this.stage === 'data' || this.stage === 'crc' ? this.id : undefined;
    this.stage = 'idle';
    this.escaped = false;
    return was === 'idle' ? undefined : { kind: 'bad', id, reason: 'frame cut short' };
  }

  push(chunk: Uint8Array): FrameEvent[] {
    const events: FrameEvent[] = [];
    for (const b of chunk) this.byte(b, events);
    return events;
  }

  private byte(b: number, events: FrameEvent[]): void {
    if (b === STX) {
      const cut = this.reset();
      if (cut) events.push(cut);
      this.stage = 'len0';
      return;
    }
    switch (this.stage) {
      case 'idle':
        return;
      case 'len0':
        if (b > 0x7f) return this.fail(events, undefined, 'LEN0 above 0x7F');
        this.len = b;
        this.stage = 'len1';
        return;
      case 'len1':
        this.len |= b << 7;
        this.stage = 'id';
        return;
      case 'id':
        if (b === ESC) return this.fail(events, undefined, 'escape in the id');
        this.id = b;
        this.data = [];
        this.stage = this.len === 0 ? 'crc' : 'data';
        return;
      case 'data':
      case 'crc': {
        let value = b;
        if (this.escaped) {
          this.escaped = false;
          if (b === TSTX) value = STX;
          else if (b === TESC) value = ESC;
          else return this.fail(events, this.id, `escape followed by ${b.toString(16)}`);
        } else if (b === ESC) {
          this.escaped = true;
          return;
        }
        if (this.stage === 'data') {
          this.data.push(value);
          if (this.data.length === this.len) this.stage = 'crc';
          return;
        }
        const data = Buffer.from(this.data);
        this.stage = 'idle';
        if (crc8(this.id, data) !== value) events.push({ kind: 'bad', id: this.id, reason: 'CRC mismatch' });
        else events.push({ kind: 'frame', id: this.id, data });
        return;
      }
    }
  }

  private fail(events: FrameEvent[], id: number | undefined, reason: string): void {
    this.stage = 'idle';
    this.escaped = false;
    events.push({ kind: 'bad', id, reason });
  }
}
