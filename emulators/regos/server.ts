import { randomInt, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { startEmulatorServer, type EmulatorRequest, type EmulatorResponse, type EmulatorServer } from '../http/emulatorServer';
import type { FaultControls } from '../http/faults';
import { loadState, saveState } from '../http/statePersistence';
import { ReceiptParams, RefundInfo, RefundParams, RpcRequest } from './schemas';
import { demoRegosSales, type RegosSaleSeed } from './seed';

type ReceiptKind = 'sale' | 'refund' | 'credit';

/** BACKENDS.md: "Limits: at most 150 positions". */
const MAX_POSITIONS = 150;
/** Seeds 002, 003: "Нельзя добавить более двух обьектов с типом оплаты - терминал type=2". */
const MAX_TERMINAL_PAYMENTS = 2;
/** BACKENDS.md: "Payment type 1 = cash, 2 = card/terminal". */
const CASH = 1;
const TERMINAL = 2;
/** BACKENDS.md: "Payments must equal positions within 50 sum (error 701003)"; 1 sum = 100 tiyin. */
const PAYMENT_TOLERANCE_TIYIN = 50 * 100;

/** Seed 002's example auth "a2Fzc2E6a2FzMTIzNDU2" is Base64("kassa:kas123456"). */
export const REGOS_DEMO_LOGIN = 'kassa';
export const REGOS_DEMO_PASSWORD = 'kas123456';
export const REGOS_DEMO_TERMINAL = 'VG298343428256';

export const StoredReceipt = z.object({
  id: z.string(),
  code: z.string(),
  kind: z.enum(['sale', 'refund', 'credit']),
  Amount: z.number().int(),
  QRCodeURL: z.string().nullable(),
  TerminalID: z.string().nullable(),
  ReceiptNo: z.string().nullable(),
  DateTime: z.string(),
  FiscalSign: z.string().nullable(),
  /** For refunds: the id of the sale refunded, when refund_info identified one. */
  refundOf: z.string().nullable(),
  params: z.unknown(),
});
export type StoredReceipt = z.infer<typeof StoredReceipt>;

export const RegosEmulatorState = z.object({
  shift: z.object({ open: z.boolean(), number: z.number().int(), openedAt: z.string().nullable() }),
  receipts: z.array(StoredReceipt),
  nextReceiptNo: z.number().int(),
});
export type RegosEmulatorState = z.infer<typeof RegosEmulatorState>;

export interface RegosEmulatorOptions {
  port?: number;
  /** Sales registered at start (in an open shift), for training mode and tests. */
  seed?: RegosSaleSeed[];
  login?: string;
  password?: string;
  /**
   * Seed 002: "Проверка может быть отключена в настройках VCR - Контроль уникальности по коду чека из
   * внешней системы, при отключеной проверке разрешается добавлять чеки с повторяющимися кодами".
   * On by default, as the seed describes VCR out of the box.
   */
  uniqueCodeCheck?: boolean;
  /** Start with the shift closed (Receipt.Refund then answers 704010). */
  shiftClosed?: boolean;
  statePath?: string;
}

export interface RegosEmulator {
  url: string;
  controlUrl: string;
  login: string;
  password: string;
  faults: FaultControls;
  state: RegosEmulatorState;
  /** Makes fiscal methods answer this VCR error code (705002 no printer, 704025 no licence server …). */
  failFiscalWith: (code: number | undefined) => void;
  requests: EmulatorServer['requests'];
  close(): Promise<void>;
}

class RpcFailure extends Error {
  constructor(readonly errorCode: number, readonly description: string) {
    super(description);
  }
}

/** "YYYY-MM-DD HH:MM:SS" in Tashkent time (UTC+5). */
export function regosTime(d: Date): string {
  return new Date(d.getTime() + 5 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export async function startRegosEmulator(opts: RegosEmulatorOptions = {}): Promise<RegosEmulator> {
  const login = opts.login ?? REGOS_DEMO_LOGIN;
  const password = opts.password ?? REGOS_DEMO_PASSWORD;
  const uniqueCodeCheck = opts.uniqueCodeCheck ?? true;
  let failFiscal: number | undefined;
  const state: RegosEmulatorState = loadState(opts.statePath, RegosEmulatorState) ?? {
    shift: { open: true, number: 1, openedAt: regosTime(new Date()) },
    receipts: [],
    nextReceiptNo: 101,
  };
  if (!opts.statePath || state.receipts.length === 0) {
    for (const sale of opts.seed ?? demoRegosSales()) register('sale', sale, null);
  }
  if (opts.shiftClosed) state.shift.open = false;

  function register(kind: ReceiptKind, params: z.infer<typeof ReceiptParams>, refundOf: string | null): StoredReceipt {
    const amount = params.positions.reduce((s, p) => s + p.amount, 0);
    const now = new Date();
    const fiscal = kind !== 'credit';
    const receiptNo = fiscal ? String(state.nextReceiptNo++) : null;
    const sign = fiscal ? String(randomInt(100_000_000_000, 999_999_999_999)) : null;
    const dateTime = regosTime(now);
    const receipt: StoredReceipt = {
      id: randomUUID(),
      code: params.code === null || params.code === undefined || params.code === '' ? `auto-${randomUUID()}` : params.code,
      kind,
      Amount: amount,
      QRCodeURL: fiscal
        ? `https://ofd.soliq.uz/check?t=${REGOS_DEMO_TERMINAL}&r=${receiptNo}&c=${dateTime.replace(/\D/g, '')}&s=${sign}`
        : null,
      TerminalID: fiscal ? REGOS_DEMO_TERMINAL : null,
      ReceiptNo: receiptNo,
      DateTime: dateTime,
      FiscalSign: sign,
      refundOf,
      params,
    };
    state.receipts.push(receipt);
    return receipt;
  }

  function fiscalAnswer(r: StoredReceipt): Record<string, unknown> {
    // Seed 002's example answers with "Id" (its table says "id"): the emulator uses the example.
    return { Id: r.id, Amount: r.Amount, QRCodeURL: r.QRCodeURL, TerminalID: r.TerminalID, ReceiptNo: r.ReceiptNo, DateTime: r.DateTime, FiscalSign: r.FiscalSign };
  }

  /** BACKENDS.md: auth = Base64("login:password"); 703002 bad auth format, 705000 wrong login. */
  function checkAuth(auth: string | undefined): void {
    const decoded = auth === undefined ? '' : Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (auth === undefined || colon < 1 || Buffer.from(decoded, 'utf8').toString('base64') !== auth) {
      throw new RpcFailure(703002, 'Неверный формат авторизации');
    }
    if (decoded.slice(0, colon) !== login || decoded.slice(colon + 1) !== password) throw new RpcFailure(705000, 'Неверный логин или пароль');
  }

  /** BACKENDS.md: "701003 bad input". */
  function parse<S extends z.ZodType>(schema: S, params: unknown): z.infer<S> {
    const parsed = schema.safeParse(params);
    if (!parsed.success) throw new RpcFailure(701003, `Неверные входные данные: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    return parsed.data;
  }

  /** BACKENDS.md: "704010/704101 no open shift"; seed 002: "Регистрация чека возврата возможна только в режиме онлайн". */
  function requireFiscalReady(): void {
    if (failFiscal !== undefined) throw new RpcFailure(failFiscal, `Ошибка ${failFiscal} (эмулятор)`);
    if (!state.shift.open) throw new RpcFailure(704010, 'Смена не открыта');
  }

  /** Seeds 002, 003: "если чек с таким же кодом ранее был занесен в базу VCR, то чек отклоняется". */
  function checkCode(code: string | null | undefined): void {
    if (uniqueCodeCheck && code && state.receipts.some((r) => r.code === code)) {
      throw new RpcFailure(701003, `Чек с кодом "${code}" уже существует`);
    }
  }

  function checkReceipt(kind: ReceiptKind, params: z.infer<typeof ReceiptParams>): void {
    checkCode(params.code);
    if (params.positions.length > MAX_POSITIONS) throw new RpcFailure(701003, `Позиций больше ${MAX_POSITIONS}`);
    if (params.payments.filter((p) => p.type === TERMINAL).length > MAX_TERMINAL_PAYMENTS) {
      throw new RpcFailure(701003, 'Нельзя добавить более двух обьектов с типом оплаты - терминал type=2');
    }
    // Seeds 002, 003: "каждый параметр label должен быть уникальным в рамках одного запроса". Seed 003's own
    // example sends "label": "" for a position without a marking code, so only non-empty labels are compared.
    const labels = params.positions.map((p) => p.label ?? '').filter((l) => l !== '');
    if (new Set(labels).size !== labels.length) throw new RpcFailure(701003, 'label должен быть уникальным в рамках одного запроса');
    // Seed 003: "По кредитному чеку недоступна оплата через платёжные системы - возникнет ошибка VCR".
    if (kind === 'credit' && params.payments.some((p) => p.type !== CASH && p.type !== TERMINAL)) {
      throw new RpcFailure(701003, 'По кредитному чеку недоступна оплата через платёжные системы');
    }
    const positions = params.positions.reduce((s, p) => s + p.amount, 0);
    const payments = params.payments.reduce((s, p) => s + p.value, 0);
    if (Math.abs(positions - payments) > PAYMENT_TOLERANCE_TIYIN) throw new RpcFailure(701003, `Сумма оплат ${payments} не равна сумме позиций ${positions}`);
  }

  /**
   * The sale a refund_info names, when this VCR registered it. Seed 002: "если поле QRCodeURL передано,
   * остальные поля игнорируются". The seed does not say VCR refuses a refund of a sale it does not
   * know, nor a refund larger than what is left: the emulator accepts both and keeps the link for tests.
   */
  function findSale(info: z.infer<typeof RefundInfo>): StoredReceipt | undefined {
    const sales = state.receipts.filter((r) => r.kind === 'sale');
    if (info.QRCodeURL) return sales.find((r) => r.QRCodeURL === info.QRCodeURL);
    return sales.find((r) => r.FiscalSign === info.FiscalSign && r.ReceiptNo === info.ReceiptNo
      && (!info.TerminalID || r.TerminalID === info.TerminalID));
  }

  function dispatch(method: string, params: unknown): unknown {
    switch (method) {
      // Seed 003: "выдается фискальный чек с помощью метода Receipt.Sale".
      case 'Receipt.Sale': {
        requireFiscalReady();
        const p = parse(ReceiptParams, params);
        checkReceipt('sale', p);
        return fiscalAnswer(register('sale', p, null));
      }
      case 'Receipt.Refund': {
        requireFiscalReady();
        const p = parse(RefundParams, params);
        checkReceipt('refund', p);
        // Seed 002: "refund_info | RefundInfo object | Необязательный".
        const sale = p.refund_info ? findSale(p.refund_info) : undefined;
        return fiscalAnswer(register('refund', p, sale?.id ?? null));
      }
      // Seed 003: "Кредитный чек не регистрируется в фискальном модуле": no shift needed, answer {id} only.
      case 'Receipt.Credit': {
        const p = parse(ReceiptParams, params);
        checkReceipt('credit', p);
        return { id: register('credit', p, null).id };
      }
      case 'Receipt.FullRefund': {
        requireFiscalReady();
        const p = parse(z.object({ QRCodeURL: z.string().min(1), code: z.string().nullish() }), params);
        checkCode(p.code);
        // BACKENDS.md: "Receipt.FullRefund {QRCodeURL} refunds a whole sale": it needs the sale to copy.
        const sale = findSale({ QRCodeURL: p.QRCodeURL });
        if (!sale) throw new RpcFailure(701003, 'Чек продажи не найден');
        const saleParams = parse(ReceiptParams, sale.params);
        return fiscalAnswer(register('refund', { ...saleParams, code: p.code }, sale.id));
      }
      // BACKENDS.md: "Receipt.GetInfo looks a receipt up by its code". docs.regos.uz (Receipt.GetInfo page,
      // main/backends/README.md) documents Id, QRCodeURL and ReceiptNo, one of them required, and "если не
      // найден, то возвращается null"; a QR URL "не от текущей виртуальной кассы" is not found. The answer is
      // fiscal data only (ReceiptInfo): no positions.
      case 'Receipt.GetInfo': {
        const p = parse(z.object({
          code: z.string().min(1).optional(), Id: z.string().min(1).optional(), QRCodeURL: z.string().min(1).optional(), ReceiptNo: z.string().min(1).optional(),
        }).refine((q) => q.code ?? q.Id ?? q.QRCodeURL ?? q.ReceiptNo, 'one of code, Id, QRCodeURL, ReceiptNo is required'), params);
        const r = state.receipts.find((x) => (p.code !== undefined && x.code === p.code) || (p.Id !== undefined && x.id === p.Id)
          || (p.QRCodeURL !== undefined && x.QRCodeURL === p.QRCodeURL) || (p.ReceiptNo !== undefined && x.ReceiptNo === p.ReceiptNo));
        return r ? { ...fiscalAnswer(r), code: r.code } : null;
      }
      // BACKENDS.md: "Shift: ZReport.Open / ZReport.Close / ZReport.GetInfo".
      case 'ZReport.GetInfo':
        return shiftAnswer();
      case 'ZReport.Open':
        if (failFiscal !== undefined) throw new RpcFailure(failFiscal, `Ошибка ${failFiscal} (эмулятор)`);
        if (!state.shift.open) state.shift = { open: true, number: state.shift.number + 1, openedAt: regosTime(new Date()) };
        return shiftAnswer();
      case 'ZReport.Close':
        if (!state.shift.open) throw new RpcFailure(704010, 'Смена не открыта');
        state.shift = { ...state.shift, open: false };
        return shiftAnswer();
      default:
        throw new RpcFailure(703000, `Неизвестный метод ${method}`);
    }
  }

  function shiftAnswer(): Record<string, unknown> {
    return { IsOpen: state.shift.open, Number: state.shift.number, OpenedAt: state.shift.openedAt };
  }

  function handle(req: EmulatorRequest): EmulatorResponse {
    if (req.method !== 'POST') return { status: 405, body: { message: 'VCR accepts POST only' } };
    // BACKENDS.md: "703000 bad format"; the answer is {id, ok, result, jsonrpc} with result = {error, description}.
    const rpc = RpcRequest.safeParse(req.body);
    if (!req.bodyIsJson || !rpc.success) {
      return { status: 200, body: { id: null, ok: false, result: { error: 703000, description: 'Неверный формат запроса' }, jsonrpc: '2.0' } };
    }
    try {
      checkAuth(rpc.data.auth);
      return { status: 200, body: { id: rpc.data.id, ok: true, result: dispatch(rpc.data.method, rpc.data.params), jsonrpc: '2.0' } };
    } catch (e) {
      if (!(e instanceof RpcFailure)) throw e;
      return { status: 200, body: { id: rpc.data.id, ok: false, result: { error: e.errorCode, description: e.description }, jsonrpc: '2.0' } };
    }
  }

  const server = await startEmulatorServer({
    handle,
    rpcMethodOf: (req) => {
      const m = z.object({ method: z.string() }).safeParse(req.body);
      return m.success ? m.data.method : undefined;
    },
    afterHandle: () => saveState(opts.statePath, state),
    snapshot: () => state,
  }, { port: opts.port });
  saveState(opts.statePath, state);

  return {
    ...server,
    login,
    password,
    state,
    failFiscalWith: (code) => {
      failFiscal = code;
    },
  };
}
