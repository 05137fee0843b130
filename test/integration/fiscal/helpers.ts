import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { isAppError } from '../../../main/appError';
import type { FiscalDevice } from '../../../main/fiscal/device';
import type { FiscalDocument } from '../../../main/fiscal/documents';
import { ITEM_SIGN_CODE, PAYMENT_METHOD_CODE, type FiscalReceiptInput } from '../../../main/fiscal/receipt';
import type { ProtocolUnderTest, StoredReceipt } from './protocols';

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'fiscal-it-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A refund whose total is unique to `seq`, so a duplicate or a swap is visible in the ФН. */
export function refundReceipt(seq: number, lines = 3): FiscalReceiptInput & { total: number } {
  const positions = Array.from({ length: lines }, (_, i) => {
    const priceMinor = 1_000 + seq * 10 + i;
    const quantityMilli = 1_000 + ((seq + i) % 3) * 500;
    return {
      name: `Возврат ${seq}-${i} молоко «Домик»`,
      priceMinor,
      quantityMilli,
      amountMinor: Math.round((priceMinor * quantityMilli) / 1000),
      vat: (['vat20', 'vat10', 'none'] as const)[i % 3] ?? 'vat20',
      paymentMethod: (['fullPayment', 'prepayment100', 'advance'] as const)[i % 3] ?? 'fullPayment',
      itemSign: (['goods', 'service', 'payment'] as const)[i % 3] ?? 'goods',
    };
  });
  const total = positions.reduce((s, p) => s + p.amountMinor, 0);
  const electronic = seq % 2 === 0 ? Math.min(total, 500) : 0;
  return { operation: 'refundOfIncome', cashier: `Кассир ${seq % 7}`, positions, tenders: { cashMinor: total - electronic, electronicMinor: electronic }, total };
}

/** The device holds something after N0 that is not this receipt as sent: the saga hands such a refund to a person. */
export class AmbiguousOutcome extends Error {
  constructor(reason: string) {
    super(`ambiguous: ${reason}`);
  }
}

/**
 * What the saga does around the driver: record N0, print; on an unknown outcome reconcile with the
 * device and print again only if it says notPrinted. Ambiguity fails the test (a person would look).
 */
export async function printExactlyOnce(driver: FiscalDevice, r: FiscalReceiptInput & { total: number }): Promise<FiscalDocument> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const n0 = await retryTransient(() => driver.status()).then((s) => s.lastDocumentNumber);
    try {
      return await driver.printReceipt(r);
    } catch (e) {
      if (!isAppError(e) || e.retry === 'permanent') throw e;
      const outcome = await retryTransient(() => driver.reconcileReceipt({ lastNumberBefore: n0, totalMinor: r.total, operation: 'refundOfIncome' }));
      if (outcome.outcome === 'printed') return outcome.document;
      if (outcome.outcome === 'ambiguous') throw new AmbiguousOutcome(outcome.reason);
    }
  }
  throw new Error('receipt not printed after 10 attempts');
}

async function retryTransient<T>(f: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await f();
    } catch (e) {
      if (!isAppError(e) || e.retry === 'permanent' || i >= 10) throw e;
    }
  }
}

/** The ФН holds this receipt (and no copy of it) under the returned number, with every line and tender as sent. */
export function expectStoredExactly(receipts: readonly StoredReceipt[], r: FiscalReceiptInput & { total: number }, doc: FiscalDocument, p: ProtocolUnderTest): void {
  const s = receipts.find((d) => d.number === doc.number);
  expect(s, `document ${doc.number}`).toBeDefined();
  const firstName = p.printable(r.positions[0]?.name ?? '');
  expect(receipts.filter((d) => d.totalMinor === r.total && d.positions[0]?.[0] === firstName), 'duplicates').toHaveLength(1);
  expect(s?.fiscalSign).toBe(doc.fiscalSign);
  expect(s?.totalMinor).toBe(r.total);
  expect(s?.operation).toBe(2);
  expect(s?.cashier).toBe(r.cashier);
  expect(s?.positions).toEqual(r.positions.map((x) => [p.printable(x.name), x.priceMinor, x.quantityMilli, PAYMENT_METHOD_CODE[x.paymentMethod], ITEM_SIGN_CODE[x.itemSign]]));
  expect([s?.cashMinor, s?.electronicMinor]).toEqual([r.tenders.cashMinor ?? 0, r.tenders.electronicMinor ?? 0]);
}
