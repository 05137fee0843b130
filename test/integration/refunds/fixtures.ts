import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Deal, Session } from '../../../main/backends/lifepos/schemas';
import type { RegosReceiptParams } from '../../../main/backends/regos/schemas';
import type { Sale, VatRate } from '../../../preload/contract';
import { saleDeal, type LifePosSeed } from '../../../emulators/lifepos/seed';
import { uzPosition } from '../../../emulators/regos/seed';
import { EmulatorState, type StoredDocument } from '../../../emulators/shtrih/state';
import type { ProtocolUnderTest, StoredReceipt } from '../fiscal/protocols';

export function tempDir(prefix = 'refund-it-'): { dir: string; file: (name: string) => string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, file: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A seeded generator (mulberry32), so a failing run repeats from its printed seed. */
export function seeded(seed: number): { next(): number; int(min: number, max: number): number; pick<T>(xs: readonly T[]): T } {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return { next, int, pick: (xs) => xs[int(0, xs.length - 1)] as (typeof xs)[number] };
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
const guid = (kind: number, n: number, sub = 0): string => `${hex(kind, 8)}-${hex(sub, 4)}-4000-8000-${hex(n, 12)}`;

export interface DealSpec {
  lines: { name: string; quantityMilli: number; priceKopecks: number; tax?: VatRate; prepayment?: boolean }[];
  /** Cash and card shares of the total; the card part gets an RRN. */
  cardKopecks?: number;
}

export interface BuiltDeal {
  deal: Deal;
  sale: Session;
  cardPart: string | undefined;
}

/** One LIFE POS sale: lines priced half up as a till prints them, paid in cash and/or by card. */
export function buildDeal(n: number, spec: DealSpec): BuiltDeal {
  const lines = spec.lines.map((l, i) => ({
    guid: guid(0x9051, n, i + 1),
    name: l.name,
    quantity: l.quantityMilli,
    priceKopecks: l.priceKopecks,
    totalKopecks: Math.floor((l.priceKopecks * l.quantityMilli + 500) / 1000),
    tax: l.tax ?? 'vat20',
    payment_method: l.prepayment ? ('prepayment100' as const) : ('fullPayment' as const),
    item_sign: l.prepayment ? ('payment' as const) : ('goods' as const),
  }));
  const total = lines.reduce((s, l) => s + l.totalKopecks, 0);
  const card = Math.min(total, spec.cardKopecks ?? 0);
  const cardGuid = card > 0 ? guid(0xca4d, n) : undefined;
  const parts = [
    ...(total - card > 0 ? [{ guid: guid(0xca54, n), type_of: 'Cash' as const, kopecks: total - card }] : []),
    ...(cardGuid ? [{ guid: cardGuid, type_of: 'Card' as const, kopecks: card, rrn: String(400_000_000_000 + n) }] : []),
  ];
  const built = saleDeal({ guid: guid(0xdea1, n), number: `Т-${n}`, createdAt: new Date(Date.now() - 3_600_000).toISOString(), saleSessionGuid: guid(0x5a1e, n), lines, parts });
  return { ...built, cardPart: cardGuid };
}

export function lifePosSeedOf(deals: readonly BuiltDeal[]): LifePosSeed {
  return { deals: deals.map((d) => d.deal), sessions: Object.fromEntries(deals.map((d) => [d.deal.guid, [d.sale]])) };
}

/** Reads the emulated ФН's state file: what the fiscal memory holds, whatever the app thinks. */
export function fnDocuments(stateFile: string): StoredDocument[] {
  return EmulatorState.parse(JSON.parse(readFileSync(stateFile, 'utf8'))).documents;
}

/** Tag 1054 of a refund receipt (возврат прихода). */
const REFUND_OF_INCOME = 2;

/** Refund receipts in the ФН. */
export const refundReceipts = (docs: readonly StoredDocument[]): StoredDocument[] => docs.filter((d) => d.type === 3 && d.operation === REFUND_OF_INCOME);

/** Refund receipts in the ФН of either protocol, read through its adapter. */
export const fnRefundReceipts = (p: ProtocolUnderTest, stateFile: string): StoredReceipt[] => p.receiptsIn(stateFile).filter((d) => d.operation === REFUND_OF_INCOME);

/** A REGOS sale as this till recorded it when selling (lines with the fields a refund echoes). */
export function regosSale(code: string, params: RegosReceiptParams, fiscal: { ReceiptNo: string | null; FiscalSign: string | null; DateTime: string; QRCodeURL: string | null; TerminalID: string | null }): Sale {
  return {
    ref: { source: 'regos', id: code },
    number: fiscal.ReceiptNo ?? code,
    createdAt: fiscal.DateTime.replace(' ', 'T'),
    currency: 'UZS',
    totalMinor: params.payments.reduce((s, p) => s + p.value, 0),
    lines: params.positions.map((p, i) => ({
      lineId: `${code}:${i}`, name: p.name, priceMinor: Math.round((p.amount * 1000) / p.quantity), quantityMilli: p.quantity, amountMinor: p.amount,
      vat: 'vat12', paymentMethod: 'fullPayment', itemSign: 'goods', refundedMilli: 0, refundedMinor: 0, refundableMilli: p.quantity,
      extra: { code: p.code ?? null, icps: p.icps ?? null, package_code: p.package_code ?? null, label: p.label ?? null, unit_name: p.unit_name ?? null },
    })),
    payments: params.payments.map((p, i) => ({ paymentPartId: `${code}:pay${i}`, kind: p.type === 1 ? 'cash' : 'card', amountMinor: p.value, refundedMinor: 0, ...(p.RRN ? { rrn: p.RRN } : {}) })),
    fiscal: {
      ...(fiscal.ReceiptNo ? { documentNumber: fiscal.ReceiptNo } : {}),
      ...(fiscal.FiscalSign ? { fiscalSign: fiscal.FiscalSign } : {}),
      dateTime: fiscal.DateTime,
      ...(fiscal.TerminalID ? { terminalId: fiscal.TerminalID } : {}),
      ...(fiscal.QRCodeURL ? { qrCodeUrl: fiscal.QRCodeURL } : {}),
    },
    remainderFromLocalOnly: false,
  };
}

/** A REGOS cash sale of `n` tiyin-priced positions, sent to the emulator with Receipt.Sale. */
export function regosSaleParams(code: string, lines: { name: string; priceTiyin: number; quantityMilli: number }[]): RegosReceiptParams {
  const positions = lines.map((l, i) => uzPosition({ name: l.name, priceTiyin: l.priceTiyin, quantityMilli: l.quantityMilli, code: `c${i}`, icps: '02202002001010036' }));
  return { code, pos_id: '1', session_code: '1', cashier_name: 'Каримова Дилноза', positions, payments: [{ type: 1, value: positions.reduce((s, p) => s + p.amount, 0) }] };
}
