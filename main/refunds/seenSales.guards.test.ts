import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LifePayTransaction } from '../backends/lifepay/schemas';
import { openDatabase, type Database } from '../queue/database';
import { saleFromTransaction } from './saleSources';
import { SeenSales } from './seenSales';

/**
 * A sale typed by its number while the network is down is found in this till's record (issue 11 point 7,
 * StrykerJS survivor seenSales.ts findByNumber): by number or id, the last description of it, on a real
 * SQLite file.
 */
const tx = (uuid: string, number: string, amount: number): LifePayTransaction => ({
  uuid, number, type: 'payment', status: 'success', created: '2026-12-01 10:00:00', amount, method: 'cash',
  purchase: { products: [{ name: 'Батарейки AA', price: amount, quantity: 1000, tax: 'vat22', type: 4, item_type: 1 }] },
});
const seen = (t: LifePayTransaction, known: string[] = []) => {
  const { sale } = saleFromTransaction(t);
  return { sale: { ...sale, remainderFromLocalOnly: false }, knownToServer: new Set(known) };
};

describe('a sale looked up before, found by its number offline', () => {
  let dir: string;
  let db: Database;
  let clock = 1_000;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'seen-sales-'));
    db = openDatabase(join(dir, 'till.sqlite'));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('by number or id answers the last description of that sale with the refunds its back end knew; another number finds nothing', () => {
    const sales = new SeenSales(db, () => clock);
    sales.remember(seen(tx('lp-1', '30451', 19_900)));
    clock = 2_000;
    sales.remember(seen(tx('lp-2', '30452', 45_000)));
    clock = 3_000;
    sales.remember(seen(tx('lp-1', '30451', 19_900), ['our-r1']));
    for (const query of ['30451', 'lp-1']) {
      const found = sales.findByNumber(query);
      expect(found?.sale.ref).toEqual({ source: 'lifepay', id: 'lp-1' });
      expect(found?.sale.totalMinor).toBe(19_900);
      expect([...(found?.knownToServer ?? [])]).toEqual(['our-r1']);
      expect(found?.seenAt).toBe(3_000);
    }
    expect(sales.findByNumber('30452')?.sale.ref.id).toBe('lp-2');
    expect(sales.findByNumber('30453')).toBeNull();
  });
});
