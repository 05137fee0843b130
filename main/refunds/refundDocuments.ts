import { AppError } from '../appError';
import { decimalText, minorText } from '../decimalText';
import type { FiscalReceiptInput } from '../fiscal/receipt';
import { fiscalName } from '../fiscal/fiscalName';
import type { NewReversalSession, ReceiptData } from '../backends/lifepos/schemas';
import type { RegosRefundInfo, RegosRefundParams } from '../backends/regos/schemas';
import { REGOS_PAYMENT_TYPE } from '../backends/regos/schemas';
import { regosVatValue, uzVatPercent, type RegosVatMode } from '../backends/regos/regosUnits';
import type { FiscalDocumentView, RefundLine, RefundTender, Sale } from '../../preload/contract';
import { fiscalTenderSums, TENDER_RULES } from './tenderKinds';
import { markedUnits, refusingRepeatedLabels } from '../marking/unitPositions';

/**
 * A confirmed refund written out for each party that must record it: the fiscal printer (возврат
 * прихода), a LIFE POS reversal session, REGOS Receipt.Refund. Each mirrors the original sale's tags
 * (payment-method sign, VAT, item sign) and sends the money back the way it was paid.
 */
export interface RefundForDocuments {
  id: string;
  lines: readonly RefundLine[];
  tenders: readonly RefundTender[];
}

/** One unit's price for a refund line; the line total is sent separately, so the ФН stores it exactly. */
const unitPrice = (l: RefundLine) => Number((BigInt(l.amountMinor) * 1000n + BigInt(l.quantityMilli) / 2n) / BigInt(l.quantityMilli));

type FiscalPosition = FiscalReceiptInput['positions'][number];

/**
 * A refund line as receipt positions. The device takes a position only when its sum is within ±1 kopeck
 * of price × quantity (PROTOCOL.md §FF46), and a discounted line of several units often has no such
 * price (5 pcs for 100.02 ₽: 20.00 × 5 misses by 2 kopecks). Whole units are then printed as two
 * positions whose prices differ by one kopeck (3 × 20.00 + 2 × 20.01): quantity and sum stay exact.
 */
export function fiscalPositions(l: RefundLine): FiscalPosition[] {
  const tags = { name: fiscalName(l.name), vat: l.vat, paymentMethod: l.paymentMethod, itemSign: l.itemSign };
  const marked = markedUnits(l);
  if (marked) return marked.map((u) => ({ ...tags, priceMinor: u.amountMinor, quantityMilli: 1000, amountMinor: u.amountMinor, markingCode: u.code }));
  const price = unitPrice(l);
  const miss = BigInt(price) * BigInt(l.quantityMilli) - BigInt(l.amountMinor) * 1000n;
  if ((miss >= -1000n && miss <= 1000n) || l.quantityMilli % 1000 !== 0) {
    return [{ ...tags, priceMinor: price, quantityMilli: l.quantityMilli, amountMinor: l.amountMinor }];
  }
  const units = l.quantityMilli / 1000;
  const base = Math.floor(l.amountMinor / units);
  // 0 < dearer < units: with dearer 0 the price `base` is exact and the line was one position above.
  const dearer = l.amountMinor - base * units;
  return [
    { ...tags, priceMinor: base, quantityMilli: (units - dearer) * 1000, amountMinor: base * (units - dearer) },
    { ...tags, priceMinor: base + 1, quantityMilli: dearer * 1000, amountMinor: (base + 1) * dearer },
  ];
}

export function fiscalRefundReceipt(r: RefundForDocuments, cashier: string): FiscalReceiptInput {
  return {
    operation: 'refundOfIncome',
    cashier,
    positions: r.lines.flatMap(fiscalPositions),
    // Each tender in its kind's FF45 slot: card, СБП, transfer, link and BNPL as electronic money.
    tenders: fiscalTenderSums(r.tenders),
  };
}

/** Seed 000: every part of the reversal points at the part of the sale session it returns. */
export function lifePosReversal(r: RefundForDocuments, sale: Sale): NewReversalSession {
  return {
    external_id: r.id,
    positions: r.lines.map((l) => ({ position_guid: l.lineId, quantity: l.quantityMilli, total_sum: { value: l.amountMinor, currency: sale.currency } })),
    payment_parts: r.tenders.map((t) => {
      const original = sale.payments.find((p) => p.paymentPartId === t.paymentPartId);
      if (!original?.saleSessionId || !original.typeOf) {
        throw new AppError({ code: 'refund.payment_part_unknown', message: 'Не найдена оплата продажи для возврата', detail: t.paymentPartId });
      }
      return {
        type_of: original.typeOf,
        amount: { value: t.amountMinor, currency: sale.currency },
        primary_payment_part: { guid: original.paymentPartId, type_of: original.typeOf },
        primary_sale_session: { guid: original.saleSessionId, type_of: 'Sale' },
        // Only an acquiring refund has an RRN (seed 000); СБП, transfer, link and BNPL parts carry none.
        ...(t.rrn && TENDER_RULES[t.kind].needsCard ? { transactions: [{ rrn: t.rrn, amount: { value: t.amountMinor, currency: sale.currency } }] } : {}),
      };
    }),
  };
}

/**
 * Seed 000: "добавьте данные чека в описание сессии". One session per refund however many receipts it
 * took: the first receipt's fields with the refund's total (the session's own total), and with several
 * receipts every one of them, each with its own total (main/backends/README.md).
 */
export function lifePosReceiptData(receipts: readonly { fiscal: FiscalDocumentView; totalMinor: number }[], currency: string): ReceiptData {
  const one = (fiscal: FiscalDocumentView, totalMinor: number) => ({
    fiscal_document_number: fiscal.number,
    fiscal_sign: fiscal.fiscalSign,
    issued_at: fiscal.dateTime,
    total_sum: { value: totalMinor, currency },
  });
  const first = receipts[0];
  if (!first) throw new RangeError('a refund without a printed receipt has no receipt data');
  const total = receipts.reduce((s, r) => s + r.totalMinor, 0);
  return {
    ...one(first.fiscal, total),
    ...(receipts.length > 1 ? { receipts: receipts.map((r) => one(r.fiscal, r.totalMinor)) } : {}),
  };
}

/** How many VCR positions a refund line becomes: one per piece when marked, else one (as regosRefundParams builds them). */
export const regosPositionsOf = (l: RefundLine): number => markedUnits(l)?.length ?? 1;

/**
 * Seed 002 Receipt.Refund. `code` is the refund id (VCR's uniqueness check makes it the idempotency
 * key); the sale's own fields (code, icps, package_code, label ...) are echoed from the sale line.
 */
export function regosRefundParams(r: RefundForDocuments, sale: Sale, cashier: string, vatMode: RegosVatMode): RegosRefundParams {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return {
    code: r.id,
    cashier_name: cashier,
    positions: refusingRepeatedLabels(r.lines.flatMap((l) => {
      const original = sale.lines.find((x) => x.lineId === l.lineId);
      const percent = uzVatPercent(l.vat);
      if (percent === undefined) throw new AppError({ code: 'refund.regos_vat', message: `«${l.name}»: ставка НДС не подходит для чека REGOS`, detail: l.vat });
      const extra = original?.extra ?? {};
      // A marked line: one position per unit, its code as the label (main/marking/README.md §REGOS).
      const marked = markedUnits(l);
      const units = marked ?? [{ code: str(extra.label), amountMinor: l.amountMinor }];
      return units.map((u) => ({
        amount: u.amountMinor,
        name: l.name,
        quantity: marked ? 1000 : l.quantityMilli,
        vat_value: regosVatValue(u.amountMinor, percent, vatMode),
        code: str(extra.code),
        barcode: str(original?.barcode),
        icps: str(extra.icps),
        package_code: str(extra.package_code),
        // Absent when the sale line has no marking code: see "Labels" in main/backends/README.md.
        ...(u.code ? { label: u.code } : {}),
        unit_name: str(extra.unit_name),
        discount: 0,
      }));
    })),
    payments: r.tenders.map((t) => ({
      type: regosPaymentType(t),
      value: t.amountMinor,
      ...(t.rrn ? { RRN: t.rrn } : {}),
    })),
    ...regosRefundInfo(sale),
  };
}

/** BACKENDS.md: "Payment type 1 = cash, 2 = card/terminal"; the documents give REGOS no other refund way. */
function regosPaymentType(t: RefundTender): number {
  if (t.kind === 'cash') return REGOS_PAYMENT_TYPE.cash;
  if (t.kind === 'card') return REGOS_PAYMENT_TYPE.terminal;
  throw new AppError({
    code: 'refund.regos_tender',
    message: 'REGOS принимает возврат только наличными или через терминал. Оформите этот возврат в REGOS вручную.',
    retry: 'permanent',
    detail: t.kind,
  });
}

/**
 * Seed 002: "refund_info | RefundInfo object | Необязательный". Sent only with the sale's fiscal data:
 * the QR code URL alone ("если поле QRCodeURL передано, остальные поля игнорируются"), else the fields
 * the sale has; a sale without any is refunded without refund_info, never with an object of nulls.
 */
function regosRefundInfo(sale: Sale): { refund_info?: RegosRefundInfo } {
  const f = sale.fiscal;
  if (f?.qrCodeUrl) return { refund_info: { QRCodeURL: f.qrCodeUrl } };
  const info = {
    ...(f?.documentNumber ? { ReceiptNo: f.documentNumber } : {}),
    ...(f?.fiscalSign ? { FiscalSign: f.fiscalSign } : {}),
    ...(f?.dateTime ? { DateTime: f.dateTime } : {}),
    ...(f?.terminalId ? { TerminalID: f.terminalId } : {}),
  };
  return Object.keys(info).length > 0 ? { refund_info: info } : {};
}

/** A copy of a refund receipt for the customer: text only, the ФН is not asked for a new document. */
export function receiptCopyLines(r: RefundForDocuments & { totalMinor: number }, fiscal: FiscalDocumentView): string[] {
  return [
    'КОПИЯ ЧЕКА ВОЗВРАТА ПРИХОДА',
    `ФД № ${fiscal.number}  ФП ${fiscal.fiscalSign}`,
    fiscal.dateTime.replace('T', ' '),
    ...r.lines.map((l) => `${l.name}  ${decimalText(l.quantityMilli, 3)} = ${minorText(l.amountMinor)}`),
    `ИТОГ ${minorText(r.totalMinor)}`,
  ];
}
