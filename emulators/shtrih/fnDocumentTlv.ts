import iconv from 'iconv-lite';
import type { StoredDocument, StoredPosition } from './state';

/**
 * The emulated ФН's record of a document in the ФФД's TLV form, made once when the document is
 * fiscalized and kept with it (served by 0xFF3A/0xFF3B). Written from the format description in
 * main/fiscal/shtrih/PROTOCOL.md §Fiscal document read-back, sharing nothing with the driver's parser, so a
 * mistake on either side shows up as a failing test.
 */
function tlv(tag: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(tag, 0);
  head.writeUInt16LE(value.length, 2);
  return Buffer.concat([head, value]);
}

function le(v: number, bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  b.writeUIntLE(v, 0, bytes);
  return b;
}

/** VLN: as few little-endian bytes as the value needs (at least one). */
function vln(v: number): Buffer {
  const out: number[] = [];
  let n = BigInt(v);
  do {
    out.push(Number(n & 0xffn));
    n >>= 8n;
  } while (n > 0n);
  return Buffer.from(out);
}

/** FVLN of a quantity in millionths: the fewest decimal places that keep it exact. */
function quantityFvln(micro: number): Buffer {
  let digits = micro;
  let scale = 6;
  while (scale > 0 && digits % 10 === 0) {
    digits /= 10;
    scale -= 1;
  }
  return Buffer.concat([Buffer.from([scale]), vln(digits)]);
}

const text = (s: string): Buffer => iconv.encode(s, 'cp866');

/** The document's local time as UnixTime: the ФН keeps the till's wall clock, read back as UTC fields. */
function unixTime(iso: string): Buffer {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(iso);
  if (!m) throw new Error(`bad stored date ${iso}`);
  return le(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) / 1000, 4);
}

function fiscalSign(sign: number): Buffer {
  const b = Buffer.alloc(6);
  b.writeUInt32BE(sign, 2);
  return b;
}

/** One position's 1059 container; receiptLimits.ts sizes a receipt with it. */
export function position(p: StoredPosition): Buffer {
  return tlv(1059, Buffer.concat([
    tlv(1030, text(p.name)),
    tlv(1079, vln(p.priceMinor)),
    tlv(1023, quantityFvln(p.quantityMicro)),
    tlv(1043, vln(p.amountMinor)),
    ...(p.vatTag === undefined ? [] : [tlv(1199, Buffer.from([p.vatTag]))]),
    ...(p.vatMinor === undefined ? [] : [tlv(1200, vln(p.vatMinor))]),
    ...(p.paymentMethod === 0 ? [] : [tlv(1214, Buffer.from([p.paymentMethod]))]),
    ...(p.itemSign === 0 ? [] : [tlv(1212, Buffer.from([p.itemSign]))]),
  ]));
}

/** A receipt's payments as FF45 gave them (16 slots; cash may include change) → tags 1031/1081/1215/1216/1217. */
function tenders(total: number, payments: readonly number[]): Buffer[] {
  const [electronic = 0, prepayment = 0, credit = 0, counter = 0] = [payments[1], payments[13], payments[14], payments[15]];
  const cash = total - electronic - prepayment - credit - counter;
  return [tlv(1031, vln(cash)), tlv(1081, vln(electronic)), tlv(1215, vln(prepayment)), tlv(1216, vln(credit)), tlv(1217, vln(counter))];
}

export function documentTlv(doc: StoredDocument, fnNumber: string): Buffer {
  const common = [
    tlv(1040, le(doc.number, 4)),
    tlv(1012, unixTime(doc.dateTime)),
    tlv(1077, fiscalSign(doc.fiscalSign)),
    tlv(1041, Buffer.from(fnNumber.padEnd(16, ' '), 'latin1')),
    tlv(1038, le(doc.shiftNumber, 4)),
    ...(doc.cashier ? [tlv(1021, text(doc.cashier))] : []),
  ];
  if (doc.type !== 3 && doc.type !== 31) return Buffer.concat(common);
  const total = doc.totalMinor ?? 0;
  return Buffer.concat([
    ...common,
    tlv(1054, Buffer.from([doc.operation ?? 0])),
    tlv(1020, vln(total)),
    ...(doc.positions ?? []).map(position),
    ...tenders(total, doc.payments ?? [total]),
  ]);
}
