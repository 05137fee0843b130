import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { decimalFromMilli, decimalFromMinor } from '../../main/backends/decimalUnits';
import { CreateReceiptRequest, LifePayTransaction } from '../../main/backends/lifepay/schemas';
import { startEmulatorServer, type EmulatorRequest, type EmulatorResponse, type EmulatorServer } from '../http/emulatorServer';
import type { FaultControls } from '../http/faults';
import { loadState, saveState } from '../http/statePersistence';

export const LIFE_PAY_DEMO_LOGIN = '79001234567';
export const LIFE_PAY_DEMO_API_KEY = 'demo-lifepay-apikey-0000';

/** A transaction as stored (kopecks, thousandths). */
export type StoredTransaction = z.infer<typeof LifePayTransaction>;

export const FiscalizedReceipt = z.object({
  uuid: z.string(),
  ext_id: z.string(),
  type: z.enum(['payment', 'refund']),
  totalMinor: z.number().int(),
  cardMinor: z.number().int(),
  prepaymentMinor: z.number().int(),
  products: z.array(z.object({ name: z.string(), priceMinor: z.number().int(), quantityMilli: z.number().int(), tax: z.string().optional(), type: z.number().int().optional(), item_type: z.number().int().optional() })),
  created: z.string(),
});
export type FiscalizedReceipt = z.infer<typeof FiscalizedReceipt>;

export interface LifePaySeed {
  transactions: StoredTransaction[];
}

export interface LifePayEmulatorOptions {
  port?: number;
  seed?: LifePaySeed;
  login?: string;
  apiKey?: string;
  /** false answers 6080 "cloud print is not allowed" (seed 001). */
  cloudPrintEnabled?: boolean;
  /** A 36-month ФН refuses tax_system "osn" with 3975 (seed 001). */
  fiscalDriveMonths?: 13 | 15 | 36;
  /** Server-side limit answering 429 (seed 001: 3 a minute); off unless given, so tests stay fast. */
  rateLimit?: { maxRequests: number; windowMs: number };
  statePath?: string;
}

export interface LifePayEmulator {
  url: string;
  controlUrl: string;
  login: string;
  apiKey: string;
  faults: FaultControls;
  state: { transactions: StoredTransaction[]; receipts: FiscalizedReceipt[] };
  requests: EmulatorServer['requests'];
  close(): Promise<void>;
}

const PersistedState = z.object({ transactions: z.array(LifePayTransaction), receipts: z.array(FiscalizedReceipt) });

/** "YYYY-MM-DD HH:MM:SS" in Moscow time, as LIFE PAY's cabinet shows it. */
export function lifePayTime(d: Date): string {
  return new Date(d.getTime() + 3 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export function demoLifePaySeed(now: Date = new Date()): LifePaySeed {
  const at = (minutesAgo: number): string => lifePayTime(new Date(now.getTime() - minutesAgo * 60_000));
  const tx = (t: Omit<StoredTransaction, 'status' | 'type'>): StoredTransaction => ({ ...t, type: 'payment', status: 'success' });
  return {
    transactions: [
      tx({
        uuid: 'a1f0c3de-0001-4c1b-8f00-00000000lp01', number: '30451', created: at(200), amount: 159800, method: 'card',
        employee: 'Иванова Мария', rrn: '512345678901', ext_id: null,
        purchase: { products: [
          { name: 'Наушники беспроводные', price: 129900, quantity: 1000, tax: 'vat22', type: 4, item_type: 1 },
          { name: 'Чехол для наушников', price: 29900, quantity: 1000, tax: 'vat22', type: 4, item_type: 1 },
        ] },
      }),
      tx({
        uuid: 'a1f0c3de-0002-4c1b-8f00-00000000lp02', number: '30452', created: at(150), amount: 45000, method: 'cash',
        employee: 'Петров Алексей', rrn: null, ext_id: null,
        purchase: { products: [{ name: 'Стрижка мужская', price: 45000, quantity: 1000, tax: 'none', type: 4, item_type: 4 }] },
      }),
      tx({
        uuid: 'a1f0c3de-0003-4c1b-8f00-00000000lp03', number: '30453', created: at(90), amount: 2500000, method: 'card',
        employee: 'Иванова Мария', rrn: '512345678902', ext_id: 'order-7781',
        purchase: { products: [{ name: 'Предоплата 100 % за шкаф-купе', price: 2500000, quantity: 1000, tax: 'vat122', type: 1, item_type: 10 }] },
      }),
    ],
  };
}

/** Rubles and decimal quantities, as LIFE PAY sends them. */
function transactionToWire(t: StoredTransaction): z.input<typeof LifePayTransaction> {
  return {
    ...t,
    amount: decimalFromMinor(t.amount),
    purchase: t.purchase
      ? { products: t.purchase.products.map((p) => ({ ...p, price: decimalFromMinor(p.price), quantity: decimalFromMilli(p.quantity) })) }
      : null,
  };
}

const answer = (code: number, message: string, status = 200): EmulatorResponse => ({ status, body: { code, message } });

export async function startLifePayEmulator(opts: LifePayEmulatorOptions = {}): Promise<LifePayEmulator> {
  const login = opts.login ?? LIFE_PAY_DEMO_LOGIN;
  const apiKey = opts.apiKey ?? LIFE_PAY_DEMO_API_KEY;
  const persisted = loadState(opts.statePath, PersistedState);
  const state = persisted ?? { transactions: structuredClone((opts.seed ?? demoLifePaySeed()).transactions), receipts: [] };
  const recent: number[] = [];

  function limited(): EmulatorResponse | undefined {
    if (!opts.rateLimit) return undefined;
    const now = Date.now();
    while (recent.length > 0 && (recent[0] ?? 0) <= now - opts.rateLimit.windowMs) recent.shift();
    if (recent.length >= opts.rateLimit.maxRequests) {
      const waitS = Math.ceil(((recent[0] ?? now) + opts.rateLimit.windowMs - now) / 1000);
      return { status: 429, headers: { 'Retry-After': String(waitS) }, body: { code: 429, message: 'Too many requests' } };
    }
    recent.push(now);
    return undefined;
  }

  function handle(req: EmulatorRequest): EmulatorResponse {
    const limit = limited();
    if (limit) return limit;
    if (req.method === 'GET' && req.path === '/v1/transactions') return transactions(req);
    if (req.method === 'POST' && req.path === '/cloud-print/create-receipt') return createReceipt(req);
    if (req.method === 'GET' && req.path === '/') return { status: 200, body: { service: 'LIFE PAY emulator' } };
    return { status: 404, body: { message: 'Not found' } };
  }

  function transactions(req: EmulatorRequest): EmulatorResponse {
    if (req.query.get('apikey') !== apiKey || req.query.get('login') !== login) return answer(6010, 'Invalid apikey or login', 401);
    const date = req.query.get('date');
    const from = req.query.get('from');
    const to = req.query.get('to');
    const employee = req.query.get('employee');
    const list = state.transactions.filter((t) =>
      (date === null || t.created.startsWith(date))
      && (from === null || t.created >= from)
      && (to === null || t.created <= to)
      && (employee === null || t.employee === employee));
    return {
      status: 200,
      body: {
        code: 0, message: 'OK',
        data: list.map(transactionToWire),
      },
    };
  }

  function createReceipt(req: EmulatorRequest): EmulatorResponse {
    const body = z.object({ apikey: z.string(), login: z.string() }).safeParse(req.body);
    if (!body.success || body.data.apikey !== apiKey || body.data.login !== login) return answer(6010, 'Invalid apikey or login', 401);
    if (opts.cloudPrintEnabled === false) return answer(6080, 'cloud print is not allowed', 403);
    const parsed = CreateReceiptRequest.safeParse(req.body);
    if (!parsed.success) return answer(6050, `Неверная структура данных: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`, 400);
    const r = parsed.data;
    const lines = r.purchase.products.map((p) => ({ ...p, totalMinor: Math.round((p.price * p.quantity) / 1000) }));
    const total = lines.reduce((s, l) => s + l.totalMinor, 0);
    const card = r.card_amount ?? 0;
    const prepayment = r.prepayment_amount ?? 0;
    if (card + prepayment > total) return answer(3896, 'Сумма не наличных оплат превышает сумму чека');
    if (r.tax_system === 'osn' && (opts.fiscalDriveMonths ?? 15) === 36) return answer(3975, 'Некорректное значение параметров команды ФН');
    const uuid = randomUUID();
    if (r.test === 0) {
      state.receipts.push({
        uuid, ext_id: r.ext_id, type: r.type, totalMinor: total, cardMinor: card, prepaymentMinor: prepayment, created: lifePayTime(new Date()),
        products: r.purchase.products.map((p) => ({ name: p.name, priceMinor: p.price, quantityMilli: p.quantity, tax: p.tax, type: p.type, item_type: p.item_type })),
      });
    }
    return { status: 200, body: { code: 0, message: 'OK', data: { uuid } } };
  }

  const server = await startEmulatorServer({
    handle,
    afterHandle: () => saveState(opts.statePath, snapshot()),
    snapshot,
  }, { port: opts.port });

  function snapshot(): z.input<typeof PersistedState> {
    return {
      transactions: state.transactions.map(transactionToWire),
      receipts: state.receipts,
    };
  }

  return { ...server, login, apiKey, state };
}
