import { describe, expect, it } from 'vitest';
import type { AppStatus, Sale } from '../../../preload/contract';
import { translator } from '../i18n/catalogue';
import { refundBlockReason, saleNotices } from './gate';

const status = (over: Partial<AppStatus> = {}): AppStatus => ({
  version: '0.1.0', trainingMode: true, currency: 'RUB',
  backends: { lifepos: 'online', lifepay: 'online', regos: 'online' },
  printer: { state: 'ready', message: 'Готов' }, shift: { state: 'open', number: 1 }, ...over,
});
const sale = (source: Sale['ref']['source'], refundableMilli = 1000): Sale => ({
  ref: { source, id: '1' }, number: '1', createdAt: '2025-01-01T10:00:00Z', currency: 'RUB', totalMinor: 100,
  lines: [{ lineId: 'a', name: 'Хлеб', priceMinor: 100, quantityMilli: 1000, amountMinor: 100, vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods', refundedMilli: 1000 - refundableMilli, refundedMinor: 0, refundableMilli }],
  payments: [], remainderFromLocalOnly: false,
});

describe('refund gate', () => {
  it('refuses a REGOS refund unless REGOS answers now, and says why', () => {
    expect(refundBlockReason(sale('regos'), status())).toBeNull();
    for (const state of ['offline', 'degraded', 'unknown'] as const) {
      expect(refundBlockReason(sale('regos'), status({ backends: { lifepos: 'online', lifepay: 'online', regos: state } }))).toMatch(/REGOS/);
    }
  });

  it('lets a LIFE POS refund go offline and says it will be sent later', () => {
    const offline = status({ backends: { lifepos: 'offline', lifepay: 'online', regos: 'online' } });
    expect(refundBlockReason(sale('lifepos'), offline)).toBeNull();
    expect(saleNotices(sale('lifepos'), offline).join(' ')).toMatch(/позже/);
  });

  it('blocks every refund while the shift is over 24 hours', () => {
    expect(refundBlockReason(sale('lifepos'), status({ shift: { state: 'expired' } }))).toMatch(/24 час/);
  });

  it('a REGOS-only till: no printer shift to block on, other sources refused, VCR online only (issue 15)', () => {
    const regosOnly = status({ till: 'regosOnly', shift: { state: 'expired' } });
    expect(refundBlockReason(sale('regos'), regosOnly)).toBeNull();
    expect(refundBlockReason(sale('lifepos'), regosOnly)).toMatch(/только с REGOS VCR/);
    expect(refundBlockReason(sale('regos'), { ...regosOnly, backends: { lifepos: 'online', lifepay: 'online', regos: 'offline' } })).toMatch(/Нет связи с REGOS/);
  });

  it('speaks the UI language', () => {
    const uz = translator('uz');
    expect(refundBlockReason(sale('lifepos', 0), status(), uz)).toBe('Bu sotuv boʻyicha hammasi allaqachon qaytarilgan.');
    expect(refundBlockReason(sale('regos'), status({ backends: { lifepos: 'online', lifepay: 'online', regos: 'offline' } }), uz)).toMatch(/^REGOS bilan aloqa yoʻq/);
  });

  it('says when nothing is left to refund', () => {
    expect(refundBlockReason(sale('lifepos', 0), status())).toMatch(/всё уже возвращено/);
  });
});
