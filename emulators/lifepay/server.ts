import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { startEmulatorServer, type EmulatorRequest, type EmulatorResponse, type EmulatorServer } from '../http/emulatorServer';
import type { FaultControls } from '../http/faults';
import { loadState, saveState } from '../http/statePersistence';
import { toDecimal } from '../http/units';
import { CreateReceiptBody, FiscalizedReceipt, StoredTransaction } from './schemas';

export { FiscalizedReceipt, StoredTransaction } from './schemas';

/** Seed 001: "логин - номер телефона, который был указан в ЛК LIFE PAY при регистрации". */
export const LIFE_PAY_DEMO_LOGIN = '79001234567';
export const LIFE_PAY_DEMO_API_KEY = 'demo-lifepay-apikey-0000';

export interface LifePaySeed {
  transactions: StoredTransaction[];
}

export interface LifePayEmulatorOptions {
  port?: number;
  seed?: LifePaySeed;
  login?: string;
  apiKey?: string;
  /** false answers 6080 "cloud print is not allowed" (seed 001's error table). */
  cloudPrintEnabled?: boolean;
  /** A 36-month ФН refuses tax_system "osn" with 3975 (seed 001's error table). */
  fiscalDriveMonths?: 13 | 15 | 36;
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

const PersistedState = z.object({ transactions: z.array(StoredTransaction), receipts: z.array(FiscalizedReceipt) });

/** "YYYY-MM-DD HH:MM:SS" in Moscow time, as LIFE PAY's cabinet shows it. */
export function lifePayTime(d: Date): string {
  return new Date(d.getTime() + 3 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Demo payments: earphones by card, a haircut in cash, a wardrobe with 100 % prepayment (seed 001's
 * "type 1"), and a discounted basket: 10 % off, so the amount paid is less than price × quantity.
 */
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
      tx({
        // 3 × 333.33 + 1 × 150.00 = 1 149.99 ₽ before the 10 % discount; 1 034.99 ₽ paid.
        uuid: 'a1f0c3de-0004-4c1b-8f00-00000000lp04', number: '30454', created: at(45), amount: 103499, method: 'cash',
        employee: 'Петров Алексей', rrn: null, ext_id: null,
        purchase: { products: [
          { name: 'Крем для рук', price: 33333, quantity: 3000, tax: 'vat22', type: 4, item_type: 1 },
          { name: 'Мыло туалетное', price: 15000, quantity: 1000, tax: 'vat22', type: 4, item_type: 1 },
        ] },
      }),
      tx({
        // LIFE PAY numbers its own receipts: this one shares its digits with LIFE POS deal А-1001, so a
        // search by digits alone ("1001") has two answers to pick from (issue 13).
        uuid: 'a1f0c3de-0005-4c1b-8f00-00000000lp05', number: '1001', created: at(35), amount: 19900, method: 'cash',
        employee: 'Петров Алексей', rrn: null, ext_id: null,
        purchase: { products: [{ name: 'Батарейки AA, 4 шт', price: 19900, quantity: 1000, tax: 'vat22', type: 4, item_type: 1 }] },
      }),
    ],
  };
}

/** Rubles and decimal quantities on the wire. */
function transactionOut(t: StoredTransaction): unknown {
  return {
    ...t,
    amount: toDecimal(t.amount, 100),
    purchase: t.purchase
      ? { products: t.purchase.products.map((p) => ({ ...p, price: toDecimal(p.price, 100), quantity: toDecimal(p.quantity, 1000) })) }
      : null,
  };
}

/** Every LIFE PAY answer carries `code` (0 = success) and `message`: the seed's errors are codes. */
const answer = (code: number, message: string, status = 200): EmulatorResponse => ({ status, body: { code, message } });

export async function startLifePayEmulator(opts: LifePayEmulatorOptions = {}): Promise<LifePayEmulator> {
  const login = opts.login ?? LIFE_PAY_DEMO_LOGIN;
  const apiKey = opts.apiKey ?? LIFE_PAY_DEMO_API_KEY;
  const persisted = loadState(opts.statePath, PersistedState);
  const state = persisted ?? { transactions: structuredClone((opts.seed ?? demoLifePaySeed()).transactions), receipts: [] };

  let cloudPrintEnabled = opts.cloudPrintEnabled !== false;

  // Seed 001, error 6010: "Указан неверный apikey (из личного кабинета) или логин".
  const credentialsOk = (key: unknown, user: unknown): boolean => key === apiKey && user === login;

  function handle(req: EmulatorRequest): EmulatorResponse {
    // Seed 001 documents 429 ("не более 3-х в минуту") for catalog upload only; the emulator serves no
    // catalog, so it never limits by itself (a test injects 429 through the faults).
    if (req.method === 'GET' && req.path === '/v1/transactions') return transactions(req);
    if (req.method === 'POST' && req.path === '/cloud-print/create-receipt') return createReceipt(req);
    if (req.method === 'GET' && req.path === '/') return { status: 200, body: { service: 'LIFE PAY emulator' } };
    return { status: 404, body: { message: 'Not found' } };
  }

  /** Seed 001: "получить список транзакций … за определенную дату или по конкретному сотруднику". */
  function transactions(req: EmulatorRequest): EmulatorResponse {
    if (!credentialsOk(req.query.get('apikey'), req.query.get('login'))) return answer(6010, 'Invalid apikey or login', 401);
    const date = req.query.get('date');
    const from = req.query.get('from');
    const to = req.query.get('to');
    const employee = req.query.get('employee');
    const list = state.transactions.filter((t) =>
      (date === null || t.created.startsWith(date))
      && (from === null || t.created >= from)
      && (to === null || t.created <= to)
      && (employee === null || t.employee === employee));
    return { status: 200, body: { code: 0, message: 'OK', data: list.map(transactionOut) } };
  }

  /** Seed 001, "Удаленная фискализация": the cloud register fiscalizes a receipt sent by API. */
  function createReceipt(req: EmulatorRequest): EmulatorResponse {
    const auth = z.looseObject({ apikey: z.unknown(), login: z.unknown() }).safeParse(req.body);
    if (!auth.success || !credentialsOk(auth.data.apikey, auth.data.login)) return answer(6010, 'Invalid apikey or login', 401);
    // Seed 001: "Ошибка 6080 cloud print is not allowed".
    if (!cloudPrintEnabled) return answer(6080, 'cloud print is not allowed', 403);
    const parsed = CreateReceiptBody.safeParse(req.body);
    // The seed's only "wrong structure" code, 6050, belongs to catalog import ("Ошибки при импорте
    // каталога"): a malformed receipt is refused with HTTP 400 and a message, not with a catalog code.
    if (!parsed.success) {
      return { status: 400, body: { message: `Неверные параметры чека: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` } };
    }
    const r = parsed.data;
    // Line total per product: price × quantity to the kopeck, half up (no line total field is documented).
    const lines = r.purchase.products.map((p) => ({ ...p, totalMinor: Math.floor((p.price * p.quantity * 2 + 1000) / 2000) }));
    const total = lines.reduce((s, l) => s + l.totalMinor, 0);
    const card = r.card_amount ?? 0;
    const prepayment = r.prepayment_amount ?? 0;
    // Seed 001, 3896: "Сумма не наличных оплат превышает сумму чека"; card and the advance are both non-cash.
    if (card + prepayment > total) return answer(3896, 'Сумма не наличных оплат превышает сумму чека');
    // Seed 001, 3975: "передается запрос на фискализацию с сно ОБЩ а ФН на 36 мес."
    if (r.tax_system === 'osn' && (opts.fiscalDriveMonths ?? 15) === 36) return answer(3975, 'Некорректное значение параметров команды ФН');
    const uuid = randomUUID();
    // BACKENDS.md: "test=1 fiscalizes nothing".
    if (r.test !== 1 && r.test !== true) {
      const created = lifePayTime(new Date());
      state.receipts.push({
        uuid, ext_id: r.ext_id ?? null, type: r.type, totalMinor: total, cardMinor: card, prepaymentMinor: prepayment, created,
        products: r.purchase.products.map((p) => ({ name: p.name, priceMinor: p.price, quantityMilli: p.quantity, tax: p.tax, type: p.type, item_type: p.item_type })),
      });
      // Seed 001: "ext_id - идентификатор заказа во внешней системе … Система автоматически вернет эти
      // параметры после транзакции": a cloud receipt is a transaction of the account, listed with the
      // ext_id it was sent with (the project's reading, main/backends/README.md "Who knows a sale was refunded").
      if (r.type === 'refund' || r.type === 'payment') {
        state.transactions.push({
          uuid, type: r.type, status: 'success', created, amount: total, method: card > 0 ? 'card' : 'cash',
          employee: null, rrn: null, ext_id: r.ext_id ?? null,
          purchase: { products: r.purchase.products.map((p) => ({ name: p.name, price: p.price, quantity: p.quantity, tax: p.tax, type: p.type, item_type: p.item_type })) },
        });
      }
    }
    return { status: 200, body: { code: 0, message: 'OK', data: { uuid } } };
  }

  const snapshot = (): z.infer<typeof PersistedState> => state;
  /**
   * POST {controlUrl}/__control/cloud-print {enabled}: LIFE PAY support switching the tariff's cloud print
   * on or off (seed 001, 6080: "Обратитесь в службу поддержки по вопросу активации данного сервиса").
   */
  function control(name: string, method: string, body: unknown): EmulatorResponse | undefined {
    if (name !== 'cloud-print' || method !== 'POST') return undefined;
    const on = z.object({ enabled: z.boolean() }).safeParse(body);
    if (!on.success) return { status: 400, body: { message: 'enabled: boolean' } };
    cloudPrintEnabled = on.data.enabled;
    return { status: 200, body: { enabled: cloudPrintEnabled } };
  }

  const server = await startEmulatorServer({
    handle,
    control,
    afterHandle: () => saveState(opts.statePath, snapshot()),
    snapshot,
  }, { port: opts.port });

  return { ...server, login, apiKey, state };
}
