import { AppError } from '../appError';
import { regosReceiptProblems } from '../backends/regos/regosRules';
import { regosVatValue, uzVatPercent, type RegosVatMode } from '../backends/regos/regosUnits';
import { REGOS_PAYMENT_TYPE, type RegosPayment, type RegosPosition, type RegosReceiptParams } from '../backends/regos/schemas';
import { apportion } from '../refunds/apportion';
import type { InstalmentTender, Sale } from '../../preload/contract';

/** Seed 003: "По кредитному чеку недоступна оплата через платёжные системы - возникнет ошибка VCR". */
export const NO_PAYMENT_SYSTEMS = 'По кредитному чеку недоступна оплата через платёжные системы (seed 003): примите эту часть наличными или через терминал.';

export interface CreditReceiptInput {
  code: string;
  sale: Sale;
  amountMinor: number;
  tenders: readonly InstalmentTender[];
  phone: string | undefined;
  cashier: string;
  vatMode: RegosVatMode;
}

const refuse = (code: string, message: string, detail?: string) => new AppError({ code, message, retry: 'permanent', ...(detail ? { detail } : {}) });
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

/**
 * A sale a credit receipt can follow: a REGOS sale whose goods this till knows. Receipt.GetInfo answers
 * fiscal data only (main/backends/README.md), so a sale made on another till comes without lines.
 */
export function assertInstalmentSale(sale: Sale): void {
  if (sale.ref.source !== 'regos') {
    throw refuse('instalment.not_regos', `Продажа «${sale.number}» не из REGOS VCR: оплату по рассрочке принимает только REGOS. Найдите продажу REGOS по коду чека или QR.`, sale.ref.source);
  }
  if (!sale.lines.some((l) => l.amountMinor > 0)) {
    throw refuse('instalment.no_lines', 'VCR не сообщает состав этой продажи, а на этой кассе она не записана: кредитный чек без товаров оформить нельзя. Оформите оплату в самом REGOS VCR.', sale.ref.id);
  }
}

/**
 * The Receipt.Credit request for one part-payment (decision in main/backends/README.md, "Credit receipt
 * positions"): the sale's goods, each line's amount its share of the part received (apportioned by the
 * sale's line totals, to the tiyin), so the positions add up to the payments exactly as in seed 003's
 * example (one position of 900000 paid 500000 cash + 400000 terminal). Quantities stay as sold: the
 * receipt says what the money is for, not that goods changed hands again.
 */
export function creditReceiptParams(i: CreditReceiptInput): RegosReceiptParams {
  if (i.tenders.some((t) => t.kind === 'paymentSystem')) throw refuse('instalment.payment_system', NO_PAYMENT_SYSTEMS);
  const paid = i.tenders.reduce((s, t) => s + t.amountMinor, 0);
  if (paid !== i.amountMinor) {
    throw refuse('instalment.tenders_sum', 'Сумма по способам оплаты не равна принятой сумме. Исправьте суммы и подтвердите снова.', `${paid} != ${i.amountMinor}`);
  }
  assertInstalmentSale(i.sale);
  const lines = i.sale.lines.filter((l) => l.amountMinor > 0);
  const shares = apportion(i.amountMinor, lines.map((l) => l.amountMinor));
  const positions: RegosPosition[] = [];
  lines.forEach((l, n) => {
    const amount = shares[n] ?? 0;
    if (amount === 0) return;
    const percent = uzVatPercent(l.vat ?? 'none');
    if (l.vat === null || percent === undefined) throw refuse('instalment.vat', `«${l.name}»: ставка НДС не подходит для чека REGOS.`, String(l.vat));
    const extra = l.extra ?? {};
    positions.push({
      amount, name: l.name, quantity: l.quantityMilli, vat_value: regosVatValue(amount, percent, i.vatMode), discount: 0,
      code: str(extra.code), barcode: str(l.barcode), icps: str(extra.icps), package_code: str(extra.package_code),
      // The sale's own marking codes: unique within the sale, so unique within this request (seed 003).
      ...(str(extra.label) ? { label: str(extra.label) } : {}),
      unit_name: str(extra.unit_name),
    });
  });
  const params: RegosReceiptParams = {
    code: i.code,
    cashier_name: i.cashier,
    // Seed 003: "phone | string | Необязательный | Содержит номер телефона".
    ...(i.phone ? { phone: i.phone } : {}),
    positions,
    payments: i.tenders.map(regosPayment),
  };
  const problems = regosReceiptProblems('credit', params);
  if (problems.length > 0) throw refuse('instalment.invalid_receipt', `Кредитный чек не отправлен: ${problems.join(' ')}`);
  return params;
}

function regosPayment(t: InstalmentTender): RegosPayment {
  if (t.kind === 'cash') return { type: REGOS_PAYMENT_TYPE.cash, value: t.amountMinor };
  if (t.kind === 'terminal') return { type: REGOS_PAYMENT_TYPE.terminal, value: t.amountMinor, RRN: t.rrn, card_type: t.cardType === 'corporate' ? 1 : 2 };
  throw refuse('instalment.payment_system', NO_PAYMENT_SYSTEMS);
}
