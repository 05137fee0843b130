/**
 * The device's own reading of the Shtrih-M link layer, written from the protocol facts (PROTOCOL.md
 * §Link: pyshtrih `protocol.py`, TerminalClient `ShtrihFR.cpp`) and not shared with the driver, so a
 * framing mistake in the driver is not mirrored here.
 *
 * A frame is STX, LEN, LEN bytes of payload (command code + data), then an LRC: the XOR of LEN and the
 * payload. ENQ, ACK and NAK travel as single bytes between frames.
 */
export const Byte = { STX: 0x02, ENQ: 0x05, ACK: 0x06, NAK: 0x15 } as const;

export type WireEvent =
  | { kind: 'frame'; payload: Buffer }
  | { kind: 'badFrame' }
  | { kind: 'enq' }
  | { kind: 'ack' }
  | { kind: 'nak' };

function checksum(len: number, payload: Uint8Array): number {
  return payload.reduce((x, b) => x ^ b, len);
}

/** One answer frame as the device puts it on the line. */
export function frameOf(payload: Buffer): Buffer {
  if (payload.length === 0 || payload.length > 0xff) throw new RangeError(`answer payload of ${payload.length} bytes`);
  return Buffer.concat([Buffer.from([Byte.STX, payload.length]), payload, Buffer.from([checksum(payload.length, payload)])]);
}

/**
 * Byte-at-a-time receiver. Bytes outside a frame other than the three control bytes are line noise and
 * are dropped; a frame whose LRC fails is reported so the device can answer NAK. `drop()` forgets a frame
 * cut short (the device's byte timeout).
 */
export class WireReader {
  private expected = -1;
  private body: number[] | null = null;

  get inFrame(): boolean {
    return this.body !== null;
  }

  feed(bytes: Uint8Array): WireEvent[] {
    const out: WireEvent[] = [];
    for (const b of bytes) {
      const e = this.byte(b);
      if (e) out.push(e);
    }
    return out;
  }

  drop(): void {
    this.body = null;
    this.expected = -1;
  }

  private byte(b: number): WireEvent | undefined {
    if (this.body === null) {
      if (b === Byte.STX) this.body = [];
      else if (b === Byte.ENQ) return { kind: 'enq' };
      else if (b === Byte.ACK) return { kind: 'ack' };
      else if (b === Byte.NAK) return { kind: 'nak' };
      return undefined;
    }
    if (this.expected < 0) {
      // A zero length starts no frame: the STX before it was noise.
      if (b === 0) this.drop();
      else this.expected = b;
      return undefined;
    }
    if (this.body.length < this.expected) {
      this.body.push(b);
      return undefined;
    }
    const payload = Buffer.from(this.body);
    const ok = checksum(this.expected, payload) === b;
    this.drop();
    return ok ? { kind: 'frame', payload } : { kind: 'badFrame' };
  }
}
