import type { TenderKind } from '../../preload/contract';

/** The FF45 payment slot a tender is recorded in (main/fiscal/shtrih/PROTOCOL.md: 1 cash, 2 electronic, 14 prepayment, 15 postpayment/credit). */
export type FiscalTenderSlot = 'cashMinor' | 'electronicMinor' | 'prepaymentMinor' | 'creditMinor';

export interface TenderRule {
  /** Money goes back through the acquiring terminal: the customer's card and the terminal slip's RRN are needed. */
  needsCard: boolean;
  slot: FiscalTenderSlot;
}

/**
 * How each kind of payment is refunded and recorded on the refund receipt.
 * - Only a card payment went through acquiring (seed 000: "обязательно понадобится карта покупателя
 *   для проведения денег через эквайринг"), so only it needs the card and an RRN.
 * - СБП, bank transfer, a payment link (seed 001: "работает как мобильный интернет эквайринг": the card
 *   was typed on a web page, not presented here) and BNPL (the store tells the service, which returns
 *   the money to the buyer: dolyame.ru via ya.ru/neurum, see main/backends/README.md) are returned through
 *   their service. All are non-cash money the store received, so the receipt records them as electronic.
 * - A prepayment is settled against the advance (slot 14), a postpayment against the credit (slot 15).
 */
export const TENDER_RULES: Readonly<Record<TenderKind, TenderRule>> = {
  cash: { needsCard: false, slot: 'cashMinor' },
  card: { needsCard: true, slot: 'electronicMinor' },
  sbp: { needsCard: false, slot: 'electronicMinor' },
  transfer: { needsCard: false, slot: 'electronicMinor' },
  link: { needsCard: false, slot: 'electronicMinor' },
  bnpl: { needsCard: false, slot: 'electronicMinor' },
  prepayment: { needsCard: false, slot: 'prepaymentMinor' },
  credit: { needsCard: false, slot: 'creditMinor' },
};

/**
 * LIFE POS payment part `type_of` (BACKENDS.md: "Cash, Card, Cashless, Link, QuickPayment, Bnpl") as a
 * tender kind. A type the documents do not name is refunded by bank transfer: it needs no card, and a
 * transfer reaches any payer.
 */
export function tenderKindOfLifePosPart(typeOf: string): TenderKind {
  switch (typeOf) {
    case 'Cash': return 'cash';
    case 'Card': return 'card';
    case 'QuickPayment': return 'sbp';
    case 'Cashless': return 'transfer';
    case 'Link': return 'link';
    case 'Bnpl': return 'bnpl';
    default: return 'transfer';
  }
}

/** FF45 tender sums of a refund receipt: each tender in its kind's slot. */
export function fiscalTenderSums(tenders: readonly { kind: TenderKind; amountMinor: number }[]): Record<FiscalTenderSlot, number> {
  const sums: Record<FiscalTenderSlot, number> = { cashMinor: 0, electronicMinor: 0, prepaymentMinor: 0, creditMinor: 0 };
  for (const t of tenders) sums[TENDER_RULES[t.kind].slot] += t.amountMinor;
  return sums;
}
