import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentTlv } from '../../emulators/shtrih/fnDocumentTlv';
import type { StoredDocument } from '../../emulators/shtrih/state';
import { parseFfdReceipt } from './ffdReceipt';
import { STLV_TAGS, TlvError, fvln, parseTlv, vln } from './tlv';

/**
 * Golden bytes of a refund receipt's TLV, written by hand from the ФФД formats (PROTOCOL.md §Fiscal
 * document read-back): tag and length little-endian, VLN money, FVLN quantity, CP866 text, UnixTime,
 * tag 1077's fiscal sign in bytes 2..5 big-endian.
 */
const GOLDEN_HEX = (
  '10 04 04 00 05 00 00 00 f4 03 04 00 a8 c1 68 69 35 04 06 00 00 00 12 34 56 78 fd 03 0a 00 8f a5 e2 e0 ae a2 a0 20 88 2e ' +
  '1e 04 01 00 02 fc 03 02 00 1e 23 23 04 37 00 06 04 0c 00 8c ae ab ae aa ae 20 33 2c 32 20 25 37 04 02 00 1e 23 ff 03 02 ' +
  '00 00 01 13 04 02 00 1e 23 af 04 01 00 01 b0 04 02 00 da 05 be 04 01 00 04 bc 04 01 00 01 07 04 02 00 1e 23 39 04 01 00 00'
).replace(/ /g, '');
const golden = () => Buffer.from(GOLDEN_HEX, 'hex');

const tlv = (tag: number, value: Buffer): Buffer => {
  const h = Buffer.alloc(4);
  h.writeUInt16LE(tag, 0);
  h.writeUInt16LE(value.length, 2);
  return Buffer.concat([h, value]);
};

describe('ФФД receipt TLV', () => {
  it('decodes the golden refund receipt: number, time, fiscal sign, operation, total, position, tenders', () => {
    expect(parseFfdReceipt(3, golden())).toEqual({
      number: 5,
      fiscalSign: String(0x12345678),
      dateTime: '2026-01-15T10:30:00',
      operation: 'refundOfIncome',
      totalMinor: 8990,
      cashier: 'Петрова И.',
      positions: [{ name: 'Молоко 3,2 %', priceMinor: 8990, quantityMilli: 1000, amountMinor: 8990, vat: 'vat20', vatMinor: 1498, paymentMethod: 'fullPayment', itemSign: 'goods' }],
      tenders: { cashMinor: 8990, electronicMinor: 0, prepaymentMinor: 0, creditMinor: 0, counterMinor: 0 },
    });
  });

  it('refuses a document that is not a receipt', () => {
    expect(() => parseFfdReceipt(5, golden())).toThrow(TlvError);
  });

  it('refuses every truncation inside a TLV; one at a TLV boundary is left to the announced length (documentReadback)', () => {
    const g = golden();
    const boundaries = new Set<number>();
    let at = 0;
    for (const item of parseTlv(g)) boundaries.add((at += 4 + item.value.length));
    for (let cut = 0; cut < g.length; cut++) {
      if (!boundaries.has(cut)) expect(() => parseFfdReceipt(3, g.subarray(0, cut)), `cut at ${cut}`).toThrow(TlvError);
    }
  });

  it('refuses a total that the lines do not add up to, and a line whose sum is not price × quantity', () => {
    const total = golden();
    total.writeUInt16LE(8991, total.indexOf(Buffer.from('fc030200', 'hex')) + 4);
    expect(() => parseFfdReceipt(3, total)).toThrow(/tag 1020/);
    const line = golden();
    line.writeUInt16LE(8000, line.indexOf(Buffer.from('13040200', 'hex')) + 4);
    expect(() => parseFfdReceipt(3, line)).toThrow(/is not 8990 × 1000/);
  });

  it('parses any sequence of TLVs back to the same tags and values, and refuses any byte appended to it', () => {
    const item = fc.record({ tag: fc.integer({ min: 1, max: 0xffff }).filter((t) => !STLV_TAGS.has(t)), value: fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)) });
    fc.assert(fc.property(fc.array(item, { maxLength: 12 }), fc.integer({ min: 1, max: 3 }), (items, extra) => {
      const bytes = Buffer.concat(items.map((i) => tlv(i.tag, i.value)));
      expect(parseTlv(bytes).map((i) => ({ tag: i.tag, value: Buffer.from(i.value) }))).toEqual(items);
      expect(() => parseTlv(Buffer.concat([bytes, Buffer.alloc(extra)]))).toThrow(TlvError);
    }));
  });

  it('VLN and FVLN read little-endian integers of any length up to 8 bytes', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) }), fc.integer({ min: 0, max: 8 }), (n, scale) => {
      const bytes: number[] = [];
      let v = n;
      do {
        bytes.push(Number(v & 0xffn));
        v >>= 8n;
      } while (v > 0n);
      expect(vln(Buffer.from(bytes))).toBe(Number(n));
      expect(fvln(Buffer.from([scale, ...bytes]))).toEqual({ digits: n, scale });
    }));
    expect(() => vln(Buffer.alloc(0))).toThrow(TlvError);
    expect(() => vln(Buffer.alloc(9))).toThrow(TlvError);
  });

  it('reads back whatever receipt the emulated ФН registered (two implementations, one format)', () => {
    const position = fc.record({
      name: fc.string({ minLength: 1, maxLength: 40 }).map((s) => `Товар ${s}`.trim()),
      priceMinor: fc.integer({ min: 1, max: 10_000_000 }),
      quantityMilli: fc.integer({ min: 1, max: 100_000 }),
      vatTag: fc.integer({ min: 1, max: 12 }),
      paymentMethod: fc.integer({ min: 1, max: 7 }),
      itemSign: fc.constantFrom(1, 2, 3, 4, 10, 13),
    });
    fc.assert(fc.property(fc.array(position, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 2 ** 32 - 1 }), fc.boolean(), (lines, sign, card) => {
      const positions = lines.map((l) => {
        const amountMinor = Math.round((l.priceMinor * l.quantityMilli) / 1000);
        return { name: l.name, priceMinor: l.priceMinor, quantityMicro: l.quantityMilli * 1000, amountMinor, taxRate: 1, paymentMethod: l.paymentMethod, itemSign: l.itemSign, vatTag: l.vatTag, vatMinor: 0 };
      });
      const total = positions.reduce((s, p) => s + p.amountMinor, 0);
      const payments = Array.from({ length: 16 }, () => 0);
      payments[card ? 1 : 0] = total;
      const doc: StoredDocument = { number: 42, type: 3, dateTime: '2026-03-01T09:05:00', fiscalSign: sign, shiftNumber: 7, operation: 2, totalMinor: total, positions, payments, cashier: 'Иванова' };
      const r = parseFfdReceipt(3, documentTlv(doc, '9999078900000001'));
      expect(r).toMatchObject({ number: 42, fiscalSign: String(sign), dateTime: '2026-03-01T09:05:00', operation: 'refundOfIncome', totalMinor: total, cashier: 'Иванова' });
      expect(r.tenders).toMatchObject(card ? { cashMinor: 0, electronicMinor: total } : { cashMinor: total, electronicMinor: 0 });
      expect(r.positions.map((p) => [p.name, p.priceMinor, p.quantityMilli, p.amountMinor])).toEqual(positions.map((p) => [p.name, p.priceMinor, p.quantityMicro / 1000, p.amountMinor]));
      expect(r.positions.every((p) => p.vat !== null && p.paymentMethod !== null && p.itemSign !== null)).toBe(true);
    }));
  });
});
