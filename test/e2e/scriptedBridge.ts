/**
 * A scripted `window.cashier` injected before the page's own code, for exercising the renderer's screens
 * alone (focus, keys, scanner bursts, the card step) where the real services cannot be told to produce
 * exact situations. It runs in the browser, so it must not close over anything from Node.
 * The real-server flows live in refundFlows.e2e.test.ts.
 */
export function installScriptedBridge(): void {
  type Listener = (payload: unknown) => void;
  const listeners = new Map<string, Set<Listener>>();
  const emit = (name: string, payload: unknown) => listeners.get(name)?.forEach((l) => l(payload));
  const line = (i: number, over: Record<string, unknown> = {}) => ({
    lineId: `l${i}`, name: `Товар № ${i}`, priceMinor: 10000 + i, quantityMilli: 2000, amountMinor: 2 * (10000 + i),
    vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods', refundedMilli: 0, refundedMinor: 0, refundableMilli: 2000,
    barcode: `46000000${String(i).padStart(5, '0')}`, ...over,
  });
  const sales: Record<string, unknown> = {
    '300': {
      ref: { source: 'lifepos', id: 'big' }, number: '300', createdAt: '2025-03-01T10:00:00Z', currency: 'RUB',
      totalMinor: 0, lines: Array.from({ length: 300 }, (_, i) => line(i)), payments: [], remainderFromLocalOnly: false,
    },
    '1003': {
      ref: { source: 'lifepos', id: 'mixed' }, number: '1003', createdAt: '2025-03-01T10:00:00Z', currency: 'RUB',
      totalMinor: 878000, remainderFromLocalOnly: false,
      lines: [line(1, { name: 'Куртка', refundableMilli: 1000, quantityMilli: 1000 }), line(2, { name: 'Шапка', refundableMilli: 1000, quantityMilli: 1000 })],
      payments: [
        { paymentPartId: 'cash', kind: 'cash', amountMinor: 200000, refundedMinor: 0 },
        { paymentPartId: 'card', kind: 'card', amountMinor: 678000, refundedMinor: 0, rrn: '510012345678' },
      ],
    },
  };
  // A REGOS sale as VCR answers it (fiscal data, no lines): the cashier types the lines (issue 13).
  sales['187'] = {
    ref: { source: 'regos', id: 'vcr-187' }, number: '187', createdAt: '2025-03-01T10:00:00', currency: 'UZS', totalMinor: 2_200_000,
    lines: [], payments: [], remainderFromLocalOnly: false,
    fiscal: { documentNumber: '187', terminalId: 'VG298343428256', qrCodeUrl: 'https://ofd.soliq.uz/check?t=VG298343428256&r=187&c=20250301100000&s=853234561062' },
  };
  const confirms: unknown[] = [];
  const calls: { name: string; input: unknown }[] = [];
  let shift: Record<string, unknown> = { state: 'expired', number: 7, openedAt: new Date(Date.now() - 26 * 3600_000).toISOString() };
  let dead = [{ id: 17, kind: 'lifepos.patchReceipt', refundId: 'r-1', reason: 'LIFE POS отклонил данные чека: сессия не найдена', attempts: 9 }];
  const settingsView = {
    trainingMode: true, currency: 'RUB', cashierName: 'Иванова',
    fiscal: { port: '/dev/ttyUSB0', baudRate: 115200, vatGroups: { vat22: 1, vat10: 2 }, operatorPassword: { stored: true } },
    lifepos: { enabled: true, baseUrl: 'https://api.life-pos.ru', orgGuid: 'org', clientId: 'client', token: { stored: true } },
    lifepay: { enabled: false, baseUrl: 'https://api.life-pay.ru', login: '', apiKey: { stored: false } },
    regos: { enabled: false, url: 'https://regos.example', login: '', password: { stored: false }, vatValueMode: 'ratePercentTimes100', allowPlainHttpOnStoreNetwork: false },
    retryScheduleMinutes: [1, 3, 5, 10, 60],
    kiosk: 'auto',
    autostart: 'auto',
    devTools: false,
    allowPlaintextSecrets: false,
    secretStorage: 'unavailable',
  };
  const w = window as unknown as { cashier: unknown; scripted: { paperOut: boolean } & Record<string, unknown> };
  const answer = (name: string, input: Record<string, unknown>): unknown => {
    calls.push({ name, input });
    switch (name) {
      case 'shift.status': return { ok: true, value: shift };
      case 'shift.close':
        shift = { state: 'closed', number: 7 };
        return { ok: true, value: { number: 43, fiscalSign: '555', dateTime: new Date().toISOString() } };
      case 'sync.status':
        return { ok: true, value: { counts: { pending: 2, running: 0, done: 5, dead: dead.length }, oldestPendingAgeMs: 125_000, dead } };
      case 'sync.retry':
        dead = dead.filter((j) => j.id !== input.jobId);
        return { ok: true, value: { ok: true } };
      case 'settings.get': return { ok: true, value: settingsView };
      case 'refunds.reprint': return { ok: true, value: { ok: true } };
      case 'settings.ports': return { ok: true, value: [{ path: '/dev/ttyUSB0', manufacturer: 'SHTRIH-M' }, { path: '/dev/ttyACM0' }] };
      case 'settings.save': {
        const i = input as { lifepos: { token?: string } };
        return { ok: true, value: { ...settingsView, lifepos: { ...settingsView.lifepos, token: { stored: settingsView.lifepos.token.stored || i.lifepos.token !== undefined } } } };
      }
      case 'app.status':
        return { version: '9.9.9', trainingMode: true, currency: 'RUB', backends: { lifepos: 'online', lifepay: 'online', regos: 'offline' }, printer: { state: 'ready', message: 'Готов' }, shift: { state: 'open', number: 1 } };
      case 'sales.enterLines': {
        const entered = input.lines as { name: string; icps: string; quantityMilli: number; amountMinor: number; vat: string }[];
        const sale = { ...(sales['187'] as Record<string, unknown>) };
        return {
          ok: true,
          value: {
            ...sale,
            lines: entered.map((l, i) => ({
              lineId: `vcr-187:entered${i}`, name: l.name, priceMinor: Math.round((l.amountMinor * 1000) / l.quantityMilli), quantityMilli: l.quantityMilli,
              amountMinor: l.amountMinor, vat: l.vat, paymentMethod: 'fullPayment', itemSign: 'goods', refundedMilli: 0, refundedMinor: 0,
              refundableMilli: l.quantityMilli, extra: { icps: l.icps },
            })),
            payments: [{ paymentPartId: `vcr-187:${String(input.payment)}`, kind: input.payment, amountMinor: 2_200_000, refundedMinor: 0 }],
          },
        };
      }
      case 'sales.find':
      case 'sales.search': {
        const sale = sales[String(input.query)];
        if (!sale) return { ok: false, error: { code: 'sale.not_found', message: `Продажа «${String(input.query)}» не найдена` } };
        return { ok: true, value: name === 'sales.search' ? { kind: 'sale', sale } : sale };
      }
      case 'refunds.preview': {
        const lines = input.lines as { lineId: string; quantityMilli: number }[];
        return {
          ok: true,
          value: {
            sale: input.sale, currency: 'RUB', totalMinor: 878000, notices: [],
            lines: lines.map((l) => ({ lineId: l.lineId, name: l.lineId, quantityMilli: l.quantityMilli, amountMinor: 100, vat: 'vat20', paymentMethod: 'fullPayment', itemSign: 'goods' })),
            tenders: [
              { paymentPartId: 'cash', kind: 'cash', amountMinor: 200000, needsCard: false },
              { paymentPartId: 'card', kind: 'card', amountMinor: 678000, needsCard: true },
            ],
          },
        };
      }
      case 'refunds.confirm': {
        confirms.push(input);
        // A trainer's knob (cashierScreen.e2e.test.ts): the paper runs out and the receipt waits for it.
        if (w.scripted.paperOut) {
          emit('printer.status', { state: 'paperOut', message: 'Вставьте чековую ленту — печать продолжится сама' });
          return new Promise(() => undefined);
        }
        const id = String(input.refundId);
        emit('refund.progress', { refundId: id, state: 'fiscalizing', message: 'Печать чека…' });
        return {
          ok: true,
          value: {
            id, sale: input.sale, saleNumber: '1003', currency: 'RUB', state: 'fiscalized', lines: [], totalMinor: 878000,
            tenders: [{ paymentPartId: 'cash', kind: 'cash', amountMinor: 200000, needsCard: false }, { paymentPartId: 'card', kind: 'card', amountMinor: 678000, needsCard: true, rrn: (input.cardRrns as Record<string, string>).card }],
            fiscal: { number: 42, fiscalSign: '1234567890', dateTime: '2025-03-01T10:05:00Z' }, createdAt: '2025-03-01T10:05:00Z', updatedAt: '2025-03-01T10:05:00Z',
          },
        };
      }
      default:
        return { ok: false, error: { code: 'scripted.unknown', message: `Нет сценария для ${name}` } };
    }
  };
  w.scripted = { confirms, calls, emit, paperOut: false };
  w.cashier = {
    call: async (name: string, input: Record<string, unknown>) => {
      const a = answer(name, input);
      return name === 'app.status' ? { ok: true, value: a } : a;
    },
    on: (name: string, listener: Listener) => {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}
