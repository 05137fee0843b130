import type { LifePosClient } from '../backends/lifepos/lifePosClient';
import { SESSION_TYPE, type Session } from '../backends/lifepos/schemas';
import type { LifePayClient } from '../backends/lifepay/lifePayClient';
import type { LifePayTransaction } from '../backends/lifepay/schemas';
import { ITEM_SIGN_CODE, PAYMENT_METHOD_CODE } from '../backends/lifepay/schemas';
import type { ItemSign, PaymentMethod, Sale, TenderKind } from '../../preload/contract';
import { apportion } from './apportion';
import { saleFromDeal, serverRefunds } from './lifePosSale';
import { localDayBounds } from './localDay';
import type { FiscalQr } from './search/fiscalQr';
import { numberMatches } from './search/queryNormaliser';
import { cloudRefundsOf, parseCloudExtId, withCloudRefunds } from './lifePayCloud';

/**
 * Where a sale can be looked up on a back end. Each answers the sale as the server sees it (server-side
 * refunds included) and the ids of our refunds the server already knows, or null when it has no such sale.
 */
export interface RemoteSale {
  sale: Omit<Sale, 'remainderFromLocalOnly'>;
  knownToServer: Set<string>;
}

export interface SaleSource {
  readonly name: 'lifepos' | 'lifepay' | 'regos';
  /** Every sale whose number the query names (search/queryNormaliser.ts), or the one with that id. */
  find(query: string, signal: AbortSignal): Promise<RemoteSale[]>;
  /** Sales the receipt's fiscal QR names, as far as this back end's data can tell. */
  byFiscalQr(qr: FiscalQr, signal: AbortSignal): Promise<RemoteSale[]>;
  get(id: string, signal: AbortSignal): Promise<RemoteSale | null>;
  /** Sales made on one day (YYYY-MM-DD), for the recent-sales list. */
  onDay(date: string, signal: AbortSignal): Promise<RemoteSale[]>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How far back a typed receipt number is looked for: a store takes returns within its return period. */
const SEARCH_DAYS = 30;
/** A digits-only query may name many sales; the cashier picks from a short list, never a long one. */
export const MAX_MATCHES = 10;


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
      if (UUID.test(query)) return [await withSessions(query, signal)];
      const from = new Date(now() - SEARCH_DAYS * 86_400_000).toISOString();
      const out: RemoteSale[] = [];
      // Without sessions: a list to pick from; the finder reads the one picked whole (get).
      for await (const deal of client().deals({ createdFrom: from, createdTo: new Date(now()).toISOString() }, { signal })) {
        if (numberMatches(query, deal.number)) out.push({ sale: saleFromDeal(deal, [], serverRefunds([])), knownToServer: new Set() });
        if (out.length >= MAX_MATCHES) break;
      }
      return out.length === 1 && out[0] ? [await withSessions(out[0].sale.ref.id, signal)] : out;
    },
    async byFiscalQr(qr, signal) {
      // A deal's sale session carries the printed receipt (fiscal_document_number, fiscal_drive_number):
      // the deals of the receipt's day with its total are read whole and compared by ФД and ФН.
      if (qr.kind !== 'ruFiscal') return [];
      const out: RemoteSale[] = [];
      for await (const deal of client().deals(localDayBounds(qr.dateTime.slice(0, 10)), { signal })) {
        if (saleFromDeal(deal, [], serverRefunds([])).totalMinor !== qr.totalMinor) continue;
        const sessions: Session[] = [];
        for await (const s of client().sessions(deal.guid, { selection: 'all' }, { signal })) sessions.push(s);
        const printed = sessions.some((s) => s.type_of === SESSION_TYPE.sale && s.receipt
          && String(s.receipt.fiscal_document_number) === qr.fd && (s.receipt.fiscal_drive_number === undefined || s.receipt.fiscal_drive_number === qr.fn));
        if (!printed) continue;
        const refunded = serverRefunds(sessions);
        out.push({ sale: saleFromDeal(deal, sessions, refunded), knownToServer: refunded.externalIds });
      }
      return out;
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
 * (seed 001 lists transactions only); the refunds any till sent through LIFE PAY's cloud register carry
 * the payment in their ext_id (lifePayCloud.ts) and count here, given the list they are in. Refunds
 * printed on a till's own printer never reach LIFE PAY: those count only on that till. The lines share
 * the amount actually paid: a discount (amount below the sum of price × quantity) is spread over the
 * lines to the kopeck, so refunding every line gives back exactly what was paid.
 */
export function saleFromTransaction(t: LifePayTransaction, list: readonly LifePayTransaction[] = []): RemoteSale {
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
  const payments = [{
    paymentPartId: t.uuid,
    kind: tenderKindOfLifePayMethod(t.method, t.rrn),
    amountMinor: t.amount,
    refundedMinor: 0,
    ...(t.rrn ? { rrn: t.rrn } : {}),
  }];
  const cloud = cloudRefundsOf(t.uuid, list);
  const refunded = withCloudRefunds(lines, payments, cloud);
  return {
    sale: {
      ref: { source: 'lifepay', id: t.uuid },
      number: t.number ?? t.uuid,
      createdAt: t.created,
      currency: 'RUB',
      totalMinor: t.amount,
      lines: refunded.lines,
      payments: refunded.payments,
    },
    knownToServer: new Set(cloud.flatMap((c) => parseCloudExtId(c.ext_id)?.refundId ?? [])),
  };
}

export function lifePaySource(client: () => LifePayClient, now: () => number = Date.now): SaleSource {
  const payments = (list: LifePayTransaction[]) => list.filter((t) => t.type === 'payment' && (t.purchase?.products.length ?? 0) > 0);
  const today = () => new Date(now()).toISOString().slice(0, 10);
  // From the day's start with no end: the day's payments and every cloud refund made since, whatever day
  // LIFE PAY's clock (the merchant's time) has reached by now (lifePayCloud.ts).
  const sinceToday = (signal: AbortSignal) => client().listTransactions({ from: `${today()} 00:00:00` }, signal);
  return {
    name: 'lifepay',
    async find(query, signal) {
      // One day's list answers most returns at the counter.
      const list = await sinceToday(signal);
      return payments(list)
        .filter((t) => t.uuid === query || t.rrn === query || (t.number !== undefined && numberMatches(query, t.number)))
        .slice(0, MAX_MATCHES)
        .map((t) => saleFromTransaction(t, list));
    },
    async byFiscalQr(qr, signal) {
      // Seed 001's transaction list has no fiscal document numbers: the receipt's day and total are all
      // there is to compare, so several payments may answer and the cashier picks by time.
      if (qr.kind !== 'ruFiscal') return [];
      const list = await client().listTransactions({ date: qr.dateTime.slice(0, 10) }, signal);
      return payments(list)
        .filter((t) => t.amount === qr.totalMinor)
        .slice(0, MAX_MATCHES)
        .map((t) => saleFromTransaction(t, list));
    },
    async get(id, signal) {
      const list = await sinceToday(signal);
      const found = payments(list).find((t) => t.uuid === id);
      return found ? saleFromTransaction(found, list) : null;
    },
    async onDay(date, signal) {
      const list = await client().listTransactions({ date }, signal);
      return payments(list).map((t) => saleFromTransaction(t, list));
    },
  };
}
