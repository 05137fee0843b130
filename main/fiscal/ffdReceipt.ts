import { z } from 'zod';
import { ItemSign, PaymentMethod, VatRate } from '../../preload/contract/domain';
import { OPERATION_NAMES } from './documents';
import { ITEM_SIGN_CODE, PAYMENT_METHOD_CODE } from './receipt';
import { TlvError, cp866Text, fiscalSignOf, fvln, localDateTime, parseTlv, uintOf, vln, type TlvItem } from './tlv';

/**
 * A receipt as the ФН recorded it, decoded from its TLV read-back (0xFF3A/0xFF3B, PROTOCOL.md §Fiscal
 * document read-back): what was refunded, at what price and rate, paid how. Tags and their formats: ФФД
 * as listed in PROTOCOL.md.
 */
/** Tag 1199 value → rate (PROTOCOL.md §VAT 2026, table 8 of the ФФД). */
const VAT_OF_TAG_1199: Record<number, VatRate> = {
  1: 'vat20', 2: 'vat10', 3: 'vat120', 4: 'vat110', 5: 'vat0', 6: 'none',
  7: 'vat5', 8: 'vat7', 9: 'vat105', 10: 'vat107', 11: 'vat22', 12: 'vat122',
};
const invert = <K extends string>(m: Record<K, number>): Map<number, K> => new Map(Object.entries(m).map(([k, v]) => [v as number, k as K]));
const PAYMENT_METHOD_OF_CODE = invert(PAYMENT_METHOD_CODE);
const ITEM_SIGN_OF_CODE = invert(ITEM_SIGN_CODE);

const minor = z.number().int().nonnegative();

export const FfdPosition = z.object({
  name: z.string(),
  priceMinor: minor,
  quantityMilli: z.number().int().positive(),
  amountMinor: minor,
  /** null: a tag 1199 value this program does not know (the line cannot be matched by rate). */
  vat: VatRate.nullable(),
  vatMinor: minor.optional(),
  /** null: the tag is missing or carries a value outside our enums (a receipt of other software). */
  paymentMethod: PaymentMethod.nullable(),
  itemSign: ItemSign.nullable(),
});
export type FfdPosition = z.infer<typeof FfdPosition>;

export const FfdReceipt = z.object({
  number: z.number().int().positive(),
  fiscalSign: z.string(),
  /** ISO local time to the second, as tag 1012 holds it. */
  dateTime: z.string(),
  operation: z.enum(['income', 'refundOfIncome', 'expense', 'refundOfExpense']),
  totalMinor: minor,
  cashier: z.string().optional(),
  positions: z.array(FfdPosition).min(1),
  tenders: z.object({ cashMinor: minor, electronicMinor: minor, prepaymentMinor: minor, creditMinor: minor, counterMinor: minor }),
});
export type FfdReceipt = z.infer<typeof FfdReceipt>;

/** ФФД document type of a receipt (STLV tag 3), as 0xFF3A reports it. */
export const FFD_RECEIPT_TYPE = 3;

function one(items: readonly TlvItem[], tag: number): Buffer | undefined {
  const found = items.filter((i) => i.tag === tag);
  if (found.length > 1) throw new TlvError(`tag ${tag} appears ${found.length} times`);
  return found[0]?.value;
}

function required(items: readonly TlvItem[], tag: number): Buffer {
  const v = one(items, tag);
  if (!v) throw new TlvError(`tag ${tag} is missing`);
  return v;
}

const money = (items: readonly TlvItem[], tag: number): number => {
  const v = one(items, tag);
  return v ? vln(v) : 0;
};

/** Quantity (FVLN) in thousandths, the unit every refund line uses; a finer quantity is not ours to round. */
function quantityMilli(value: Buffer): number {
  const { digits, scale } = fvln(value);
  const milli = scale <= 3 ? digits * 10n ** BigInt(3 - scale) : digits / 10n ** BigInt(scale - 3);
  if (scale > 3 && milli * 10n ** BigInt(scale - 3) !== digits) throw new TlvError(`quantity ${digits}e-${scale} is finer than 0.001`);
  if (milli === 0n || milli > BigInt(Number.MAX_SAFE_INTEGER)) throw new TlvError(`quantity ${digits}e-${scale} out of range`);
  return Number(milli);
}

function position(item: TlvItem): FfdPosition {
  const t = item.items ?? [];
  const vatTag = one(t, 1199);
  const method = one(t, 1214);
  const sign = one(t, 1212);
  const vatMinor = one(t, 1200);
  const p = {
    name: cp866Text(required(t, 1030)).trim(),
    priceMinor: vln(required(t, 1079)),
    quantityMilli: quantityMilli(required(t, 1023)),
    amountMinor: vln(required(t, 1043)),
    vat: vatTag ? (VAT_OF_TAG_1199[uintOf(vatTag, 1)] ?? null) : null,
    ...(vatMinor ? { vatMinor: vln(vatMinor) } : {}),
    paymentMethod: method ? (PAYMENT_METHOD_OF_CODE.get(uintOf(method, 1)) ?? null) : null,
    itemSign: sign ? (ITEM_SIGN_OF_CODE.get(uintOf(sign, 1)) ?? null) : null,
  };
  // The device accepts a line sum within a kopeck of price × quantity (PROTOCOL.md §Commands 0xFF46).
  const exact = BigInt(p.priceMinor) * BigInt(p.quantityMilli);
  const diff = exact - BigInt(p.amountMinor) * 1000n;
  if (diff > 1000n || diff < -1000n) throw new TlvError(`«${p.name}»: ${p.amountMinor} is not ${p.priceMinor} × ${p.quantityMilli}/1000`);
  return p;
}

/**
 * Decodes and checks a receipt's TLV: its lines must add up to its total (1020) and its tenders too. A
 * document that is not a receipt, or that does not add up, is refused with TlvError (damaged bytes, or a
 * layout this program does not know) rather than read partly.
 */
export function parseFfdReceipt(documentType: number, tlv: Buffer): FfdReceipt {
  if (documentType !== FFD_RECEIPT_TYPE) throw new TlvError(`document type ${documentType} is not a receipt (${FFD_RECEIPT_TYPE})`);
  const items = parseTlv(tlv);
  const operation = OPERATION_NAMES[uintOf(required(items, 1054), 1)];
  if (!operation) throw new TlvError('tag 1054 carries an unknown operation');
  const positions = items.filter((i) => i.tag === 1059).map(position);
  const totalMinor = vln(required(items, 1020));
  const tenders = {
    cashMinor: money(items, 1031), electronicMinor: money(items, 1081), prepaymentMinor: money(items, 1215),
    creditMinor: money(items, 1216), counterMinor: money(items, 1217),
  };
  const lines = positions.reduce((s, p) => s + p.amountMinor, 0);
  const paid = Object.values(tenders).reduce((s, v) => s + v, 0);
  if (lines !== totalMinor) throw new TlvError(`lines add up to ${lines}, tag 1020 says ${totalMinor}`);
  if (paid !== totalMinor) throw new TlvError(`tenders add up to ${paid}, tag 1020 says ${totalMinor}`);
  const cashier = one(items, 1021);
  return FfdReceipt.parse({
    number: uintOf(required(items, 1040), 4),
    fiscalSign: fiscalSignOf(required(items, 1077)),
    dateTime: localDateTime(required(items, 1012)),
    operation,
    totalMinor,
    ...(cashier ? { cashier: cp866Text(cashier).trim() } : {}),
    positions,
    tenders,
  });
}
