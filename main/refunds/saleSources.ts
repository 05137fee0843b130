import type { LifePosClient } from '../backends/lifepos/lifePosClient';
import type { Session } from '../backends/lifepos/schemas';
import type { LifePayClient } from '../backends/lifepay/lifePayClient';
import type { LifePayTransaction } from '../backends/lifepay/schemas';
import { ITEM_SIGN_CODE, PAYMENT_METHOD_CODE } from '../backends/lifepay/schemas';
import type { ItemSign, PaymentMethod, Sale, TenderKind } from '../../preload/contract';
import { apportion } from './apportion';
import { saleFromDeal, serverRefunds } from './lifePosSale';
import { localDayBounds } from './localDay';

/**
 * Where a sale can be looked up on a back end. Each answers the sale as the server sees it (server-side
 * refunds included) and the ids of our refunds the server already knows, or null when it has no such sale.
 */
export interface RemoteSale {
  sale: Omit<Sale, 'remainderFromLocalOnly'>;
  knownToServer: Set<string>;
}

export interface SaleSource {
  readonly name: 'lifepos' | 'lifepay';
  find(query: string, signal: AbortSignal): Promise<RemoteSale | null>;
  get(id: string, signal: AbortSignal): Promise<RemoteSale | null>;
  /** Sales made on one day (YYYY-MM-DD), for the recent-sales list. */
  onDay(date: string, signal: AbortSignal): Promise<RemoteSale[]>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How far back a typed receipt number is looked for: a store takes returns within its return period. */
const SEARCH_DAYS = 30;


export function lifePosSource(client: () => LifePosClient, now: () => number = Date.now): SaleSource {
  const withSessions = async (dealGuid: string, signal: AbortSignal): Promise<RemoteSale> => {
    const deal = await client().getDeal(dealGuid, { signal });
    const sessions: Session[] = [];
    // selection=all: an archived reversal session that was fiscalized still gave money back.
    for await (const s of client().sessions(deal.guid, { selection: 'all' }, { signal })) sessions.push(s);
    const refunded = serverRefunds(sessions);
    return { sale: saleFromDeal(deal, sessions, refunded), knownToServer: refunded.externalIds };
  };
  return {
    name: 'lifepos',
    async find(query, signal) {
      if (UUID.test(query)) return withSessions(query, signal);
      const from = new Date(now() - SEARCH_DAYS * 86_400_000).toISOString();
      const [deal] = await client().findDealsByNumber(query, { createdFrom: from, createdTo: new Date(now()).toISOString() }, { signal });
      return deal ? withSessions(deal.guid, signal) : null;
    },
    get: (id, signal) => withSessions(id, signal),
    async onDay(date, signal) {
      const out: RemoteSale[] = [];
      for await (const deal of client().deals(localDayBounds(date), { signal })) {
        out.push({ sale: saleFromDeal(deal, [], serverRefunds([])), knownToServer: new Set() });
      }
      return out;
    },
  };
}

const byCode = <T extends string>(table: Record<T, number>, code: number | undefined, fallback: T): T =>
  (Object.entries(table) as [T, number][]).find(([, c]) => c === code)?.[0] ?? fallback;

/**
 * LIFE PAY's transaction `method` as a tender kind. Seed 001 names no values; the emulator and public
 * integrations use "cash" and "card". Invoices ("Выставление счета", seed 001: "работает как мобильный
 * интернет эквайринг") are payment links. Anything else non-cash is refunded by bank transfer unless the
 * transaction carries an acquiring RRN.
 */
export function tenderKindOfLifePayMethod(method: string, rrn: string | null | undefined): TenderKind {
  switch (method.toLowerCase()) {
    case 'cash': return 'cash';
    case 'card': return 'card';
    case 'sbp': return 'sbp';
    case 'link':
    case 'invoice': return 'link';
    default: return rrn ? 'card' : 'transfer';
  }
}

/**
 * A LIFE PAY payment transaction as a sale. LIFE PAY does not link refunds to the payment they return
 * (seed 001 lists transactions only), so its remainder is this terminal's own record. The lines share
 * the amount actually paid: a discount (amount below the sum of price × quantity) is spread over the
 * lines to the kopeck, so refunding every line gives back exactly what was paid.
 */
export function saleFromTransaction(t: LifePayTransaction): RemoteSale {
  const products = t.purchase?.products ?? [];
  const listed = products.map((p) => Number((BigInt(p.price) * BigInt(p.quantity) * 2n + 1000n) / 2000n));
  const amounts = apportion(t.amount, listed);
  const lines = products.map((p, i) => ({
    lineId: `${t.uuid}:${i}`,
    name: p.name,
    priceMinor: p.price,
    quantityMilli: p.quantity,
    amountMinor: amounts[i] ?? 0,
    // A product without a rate stays without one: the refund of it is refused, never printed as "без НДС".
    vat: p.tax ?? null,
    paymentMethod: byCode<PaymentMethod>(PAYMENT_METHOD_CODE, p.type, 'fullPayment'),
    itemSign: byCode<ItemSign>(ITEM_SIGN_CODE, p.item_type, 'goods'),
    refundedMilli: 0,
    refundedMinor: 0,
    refundableMilli: p.quantity,
  }));
  return {
    sale: {
      ref: { source: 'lifepay', id: t.uuid },
      number: t.number ?? t.uuid,
      createdAt: t.created,
      currency: 'RUB',
      totalMinor: t.amount,
      lines,
      payments: [{
        paymentPartId: t.uuid,
        kind: tenderKindOfLifePayMethod(t.method, t.rrn),
        amountMinor: t.amount,
        refundedMinor: 0,
        ...(t.rrn ? { rrn: t.rrn } : {}),
      }],
    },
    knownToServer: new Set(),
  };
}

export function lifePaySource(client: () => LifePayClient, now: () => number = Date.now): SaleSource {
  const payments = (list: LifePayTransaction[]) => list.filter((t) => t.type === 'payment' && (t.purchase?.products.length ?? 0) > 0);
  const today = () => new Date(now()).toISOString().slice(0, 10);
  return {
    name: 'lifepay',
    async find(query, signal) {
      // One day's list answers most returns at the counter.
      const found = payments(await client().listTransactions({ date: today() }, signal)).find((t) => t.number === query || t.uuid === query || t.rrn === query);
      return found ? saleFromTransaction(found) : null;
    },
    async get(id, signal) {
      const found = payments(await client().listTransactions({ date: today() }, signal)).find((t) => t.uuid === id);
      return found ? saleFromTransaction(found) : null;
    },
    async onDay(date, signal) {
      return payments(await client().listTransactions({ date }, signal)).map(saleFromTransaction);
    },
  };
}
