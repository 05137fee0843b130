import type { LifePayRefundReceipt, LifePayTransaction } from '../backends/lifepay/schemas';
import type { SaleLine, SalePayment } from '../../preload/contract';
import type { RefundForDocuments } from './refundDocuments';
import { isUzbekRate } from '../fiscal/taxGroups';
import { TENDER_RULES } from './tenderKinds';

/**
 * A LIFE PAY refund fiscalized by LIFE PAY's cloud register (seed 001, "Удаленная фискализация") and
 * how every till reads it back (issue 22, main/backends/README.md "Who knows a sale was refunded").
 *
 * Seed 001 gives two things to build on: the transactions list ("получить список транзакций … за
 * определенную дату") and `ext_id` ("идентификатор заказа во внешней системе … Система автоматически
 * вернет эти параметры после транзакции"). It documents no field that links a refund to the payment it
 * returns, so our `ext_id` carries both: `<payment uuid>/<refund id>`. A till that lists the day's
 * transactions sees every cloud refund of a payment, whichever till sent it.
 */
const SEP = '/';

export function cloudExtId(saleId: string, refundId: string): string {
  return `${saleId}${SEP}${refundId}`;
}

export function parseCloudExtId(extId: string | null | undefined): { saleId: string; refundId: string } | null {
  if (!extId) return null;
  const at = extId.lastIndexOf(SEP);
  if (at <= 0 || at === extId.length - 1) return null;
  return { saleId: extId.slice(0, at), refundId: extId.slice(at + 1) };
}

/** The cloud refunds of one payment in a transactions list. */
export function cloudRefundsOf(saleId: string, list: readonly LifePayTransaction[]): LifePayTransaction[] {
  return list.filter((t) => t.type === 'refund' && parseCloudExtId(t.ext_id)?.saleId === saleId);
}

/** The answer to a lost create-receipt: the refund LIFE PAY lists under our ext_id, if any. */
export function findCloudRefund(extId: string, list: readonly LifePayTransaction[]): LifePayTransaction | undefined {
  return list.find((t) => t.type === 'refund' && t.ext_id === extId);
}

const halfUp = (priceMinor: number, quantityMilli: number): number => Number((BigInt(priceMinor) * BigInt(quantityMilli) * 2n + 1000n) / 2000n);

/**
 * A refund line as cloud receipt products whose price × quantity is exactly the line's money: LIFE PAY's
 * create-receipt has no line total (the register multiplies), so unlike the printer's ±1 kopeck
 * (refundDocuments.ts `fiscalPositions`) a kopeck off here would be a kopeck wrong in the cloud. One
 * price when one fits (to the kopeck, half up); whole units as two prices a kopeck apart; a weighed
 * line no price fits → null (the refund is printed locally).
 */
function cloudProducts(l: RefundForDocuments['lines'][number]): { priceMinor: number; quantityMilli: number }[] | null {
  const low = Math.floor((l.amountMinor * 1000) / l.quantityMilli);
  for (const price of [low, low + 1]) {
    if (halfUp(price, l.quantityMilli) === l.amountMinor) return [{ priceMinor: price, quantityMilli: l.quantityMilli }];
  }
  if (l.quantityMilli % 1000 !== 0) return null;
  const units = l.quantityMilli / 1000;
  const base = Math.floor(l.amountMinor / units);
  // 0 < dearer < units: with dearer 0 the price `base` (= low) is exact and was returned above.
  const dearer = l.amountMinor - base * units;
  return [{ priceMinor: base, quantityMilli: (units - dearer) * 1000 }, { priceMinor: base + 1, quantityMilli: dearer * 1000 }];
}

/**
 * Why a refund cannot be a cloud receipt, each shown to the cashier as the reason it is printed locally
 * (lifePayChannel.ts): seed 001's create-receipt has no field for a postpayment/credit tender
 * ('noTenderField') and no rate for an Uzbek VAT line ('noVatRate', schemas.ts), and for a weighed line
 * no price × quantity may be the line's money to the kopeck ('noExactPrice', `cloudProducts`).
 */
export type CloudObstacle = 'noTenderField' | 'noVatRate' | 'noExactPrice';

/**
 * A refund as seed 001's create-receipt wants it: products whose money is exact (`cloudProducts`),
 * non-cash money in `card_amount`, an advance in `prepayment_amount` (seed 001's prepayment example);
 * or what stops it (`CloudObstacle`): such a refund is printed locally.
 */
export function cloudRefundReceipt(r: RefundForDocuments, saleId: string): { receipt: LifePayRefundReceipt } | { obstacle: CloudObstacle } {
  let cardMinor = 0;
  let prepaymentMinor = 0;
  for (const t of r.tenders) {
    const slot = TENDER_RULES[t.kind].slot;
    if (slot === 'creditMinor') return { obstacle: 'noTenderField' };
    if (slot === 'electronicMinor') cardMinor += t.amountMinor;
    if (slot === 'prepaymentMinor') prepaymentMinor += t.amountMinor;
  }
  const products: LifePayRefundReceipt['products'] = [];
  for (const l of r.lines) {
    if (isUzbekRate(l.vat)) return { obstacle: 'noVatRate' };
    const parts = cloudProducts(l);
    if (!parts) return { obstacle: 'noExactPrice' };
    for (const p of parts) products.push({ name: l.name, ...p, vat: l.vat, paymentMethod: l.paymentMethod, itemSign: l.itemSign });
  }
  return { receipt: { extId: cloudExtId(saleId, r.id), products, cardMinor, prepaymentMinor } };
}

/**
 * What LIFE PAY's cloud refunds took from a payment's lines and its money. Products come back by name
 * and price only (seed 001 lists no line id), so each refunded product is taken from the sale's lines of
 * that name in order, up to what each line sold: lines with one name are interchangeable for what is
 * left to refund. Money: what LIFE PAY's register counted, price × quantity to the kopeck.
 */
export function withCloudRefunds(lines: readonly SaleLine[], payments: readonly SalePayment[], refunds: readonly LifePayTransaction[]): { lines: SaleLine[]; payments: SalePayment[] } {
  const out = lines.map((l) => ({ ...l }));
  for (const p of refunds.flatMap((t) => t.purchase?.products ?? [])) {
    let qty = p.quantity;
    let money = halfUp(p.price, p.quantity);
    for (const l of out) {
      if (qty === 0) break;
      if (l.name !== p.name || l.refundedMilli >= l.quantityMilli) continue;
      const take = Math.min(qty, l.quantityMilli - l.refundedMilli);
      const share = take === qty ? money : Math.min(money, Math.round((money * take) / qty));
      l.refundedMilli += take;
      l.refundedMinor = Math.min(l.amountMinor, l.refundedMinor + share);
      l.refundableMilli = l.quantityMilli - l.refundedMilli;
      qty -= take;
      money -= share;
    }
  }
  const back = refunds.reduce((s, t) => s + t.amount, 0);
  return {
    lines: out,
    // A LIFE PAY payment is one part (saleSources.ts saleFromTransaction).
    payments: payments.map((p) => ({ ...p, refundedMinor: Math.min(p.amountMinor, p.refundedMinor + back) })),
  };
}
