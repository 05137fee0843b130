import iconv from 'iconv-lite';

/** Shtrih-M numbers are little-endian unsigned integers of 1..6 bytes (PROTOCOL.md §Encoding). */
export function uintLE(value: number, bytes: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0 || value >= 2 ** (8 * bytes)) {
    throw new RangeError(`${value} does not fit ${bytes} unsigned bytes`);
  }
  const b = Buffer.alloc(bytes);
  b.writeUIntLE(value, 0, bytes);
  return b;
}

/** Text on the wire is CP1251 (Windows-1251), the code page of Shtrih-M devices. */
export function cp1251(text: string): Buffer {
  return iconv.encode(text, 'win1251');
}

export function fromCp1251(bytes: Buffer): string {
  return iconv.decode(bytes, 'win1251');
}

/** Fixed-width text field: CP1251, cut or zero-padded to `width` bytes. */
export function fixedText(text: string, width: number): Buffer {
  const out = Buffer.alloc(width);
  cp1251(text).copy(out, 0, 0, width);
  return out;
}

/** Reads fields in order; running past the end is a protocol error the caller turns into an AppError. */
export class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  u8(): number {
    return this.uint(1);
  }

  uint(bytes: number): number {
    if (this.pos + bytes > this.buf.length) throw new RangeError(`answer too short: need ${bytes} bytes at ${this.pos}, have ${this.buf.length}`);
    const v = this.buf.readUIntLE(this.pos, bytes);
    this.pos += bytes;
    return v;
  }

  bytes(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw new RangeError(`answer too short: need ${n} bytes at ${this.pos}, have ${this.buf.length}`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  rest(): Buffer {
    const out = this.buf.subarray(this.pos);
    this.pos = this.buf.length;
    return out;
  }
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** FN date-time: 5 bytes YY MM DD hh mm (PROTOCOL.md §FN status). Returned as ISO local time. */
export function fnDateTime(b: Buffer): string {
  const [yy = 0, mm = 0, dd = 0, hh = 0, mi = 0] = b;
  return `${2000 + yy}-${pad2(mm)}-${pad2(dd)}T${pad2(hh)}:${pad2(mi)}:00`;
}
