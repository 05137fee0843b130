import iconv from 'iconv-lite';

/**
 * The ФН's own record of a fiscal document is a sequence of TLVs: tag (2 bytes), length (2 bytes), both
 * little-endian, then the value; a structured TLV (STLV) holds TLVs in its value (PROTOCOL.md §Fiscal
 * document read-back). The parser is strict: a header or value running past its container, or bytes left
 * over, is a damaged document and refused — a partial read is never taken as a shorter document.
 */
export interface TlvItem {
  tag: number;
  value: Buffer;
  /** Parsed contents of a structured tag (STLV_TAGS). */
  items?: TlvItem[];
}

/** Structured tags whose value is itself TLVs: 1059 предмет расчёта and the STLVs a receipt may carry. */
export const STLV_TAGS: ReadonlySet<number> = new Set([1059, 1084, 1163, 1174, 1223, 1224, 1256, 1260, 1261, 1270, 1291]);

/** A fiscal document as the ФН keeps it, whatever protocol read it out: its ФФД type and TLV bytes. */
export interface DocumentTlv {
  number: number;
  documentType: number;
  tlv: Buffer;
}

export class TlvError extends Error {}

export function parseTlv(bytes: Buffer): TlvItem[] {
  const items: TlvItem[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    if (bytes.length - pos < 4) throw new TlvError(`${bytes.length - pos} stray bytes at ${pos}: a TLV header takes 4`);
    const tag = bytes.readUInt16LE(pos);
    const length = bytes.readUInt16LE(pos + 2);
    const end = pos + 4 + length;
    if (end > bytes.length) throw new TlvError(`tag ${tag} at ${pos} claims ${length} bytes, ${bytes.length - pos - 4} left`);
    const value = bytes.subarray(pos + 4, end);
    items.push(STLV_TAGS.has(tag) ? { tag, value, items: parseTlv(value) } : { tag, value });
    pos = end;
  }
  return items;
}

/** VLN: an unsigned little-endian integer of 1..8 bytes (money in kopecks). */
export function vln(value: Buffer): number {
  if (value.length === 0 || value.length > 8) throw new TlvError(`VLN of ${value.length} bytes`);
  let n = 0n;
  for (let i = value.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(value[i] ?? 0);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new TlvError(`VLN ${n} is beyond a safe integer`);
  return Number(n);
}

/** FVLN: first byte the number of decimal places, then a VLN (quantities). */
export function fvln(value: Buffer): { digits: bigint; scale: number } {
  const scale = value[0];
  if (scale === undefined || value.length < 2) throw new TlvError(`FVLN of ${value.length} bytes`);
  if (scale > 8) throw new TlvError(`FVLN with ${scale} decimal places`);
  return { digits: BigInt(vln(value.subarray(1))), scale };
}

/** Strings in the ФН are CP866, not the CP1251 of the command set. */
export function cp866Text(value: Buffer): string {
  return iconv.decode(value, 'cp866');
}

/** Unsigned little-endian integer of exactly `bytes` bytes (1054 and the like are 1 byte, 1040 is 4). */
export function uintOf(value: Buffer, bytes: number): number {
  if (value.length !== bytes) throw new TlvError(`expected ${bytes} bytes, got ${value.length}`);
  return value.readUIntLE(0, bytes);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** UnixTime: 4 bytes, seconds; the ФН keeps the till's local time in it, so it is read as UTC fields. */
export function localDateTime(value: Buffer): string {
  const d = new Date(uintOf(value, 4) * 1000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** Tag 1077 ФП документа: 6 bytes; the printed fiscal sign is bytes 2..5 read big-endian. */
export function fiscalSignOf(value: Buffer): string {
  if (value.length !== 6) throw new TlvError(`fiscal sign of ${value.length} bytes, expected 6`);
  return String(value.readUInt32BE(2));
}
