import { randomInt, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { regosReceiptProblems, type RegosReceiptKind } from '../../main/backends/regos/regosRules';
import { RegosReceiptParams, RegosRefundInfo, RegosRefundParams } from '../../main/backends/regos/schemas';
import { startEmulatorServer, type EmulatorRequest, type EmulatorResponse, type EmulatorServer } from '../http/emulatorServer';
import type { FaultControls } from '../http/faults';
import { loadState, saveState } from '../http/statePersistence';
import { demoRegosSales, type RegosSaleSeed } from './seed';

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
  /** Seed 002: the uniqueness check of `code` can be switched off in VCR's settings. */
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

const RpcRequest = z.object({
  id: z.union([z.number(), z.string()]),
  jsonrpc: z.literal('2.0'),
  method: z.string().min(1),
  params: z.unknown(),
  auth: z.string().optional(),
});

/** The real VCR accepts a receipt without `code` and generates one (seeds 002, 003). */
const LooseReceipt = RegosReceiptParams.extend({ code: z.string().nullish() });
const LooseRefund = RegosRefundParams.extend({ code: z.string().nullish() });

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

  function register(kind: RegosReceiptKind, params: z.infer<typeof LooseReceipt>, refundOf: string | null): StoredReceipt {
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

  function checkAuth(auth: string | undefined): void {
    const decoded = auth === undefined ? '' : Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (auth === undefined || colon < 1 || Buffer.from(decoded, 'utf8').toString('base64') !== auth) {
      throw new RpcFailure(703002, 'Неверный формат авторизации');
    }
    if (decoded.slice(0, colon) !== login || decoded.slice(colon + 1) !== password) throw new RpcFailure(705000, 'Неверный логин или пароль');
  }

  function parse<S extends z.ZodType>(schema: S, params: unknown): z.infer<S> {
    const parsed = schema.safeParse(params);
    if (!parsed.success) throw new RpcFailure(701003, `Неверные входные данные: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    return parsed.data;
  }

  function requireFiscalReady(): void {
    if (failFiscal !== undefined) throw new RpcFailure(failFiscal, `Ошибка ${failFiscal} (эмулятор)`);
    if (!state.shift.open) throw new RpcFailure(704010, 'Смена не открыта');
  }

  function checkReceipt(kind: RegosReceiptKind, params: z.infer<typeof LooseReceipt>): void {
    if (uniqueCodeCheck && params.code && state.receipts.some((r) => r.code === params.code)) {
      throw new RpcFailure(701003, `Чек с кодом "${params.code}" уже существует`);
    }
    const problems = regosReceiptProblems(kind, { ...params, code: params.code ?? 'auto' });
    if (problems.length > 0) throw new RpcFailure(701003, problems.join(' '));
  }

  function findSale(info: z.infer<typeof RegosRefundInfo>): StoredReceipt | undefined {
    const sales = state.receipts.filter((r) => r.kind === 'sale');
    // Seed 002: with QRCodeURL the other refund_info fields are ignored.
    if (info.QRCodeURL) return sales.find((r) => r.QRCodeURL === info.QRCodeURL);
    return sales.find((r) => r.FiscalSign === info.FiscalSign && r.ReceiptNo === info.ReceiptNo
      && (!info.TerminalID || r.TerminalID === info.TerminalID));
  }

  function refundSale(sale: StoredReceipt, amount: number): void {
    const done = state.receipts.filter((r) => r.kind === 'refund' && r.refundOf === sale.id).reduce((s, r) => s + r.Amount, 0);
    if (done >= sale.Amount) throw new RpcFailure(701003, `Чек продажи № ${sale.ReceiptNo} уже полностью возвращён`);
    if (done + amount > sale.Amount) throw new RpcFailure(701003, `Сумма возврата больше остатка по чеку № ${sale.ReceiptNo}`);
  }

  function dispatch(method: string, params: unknown): unknown {
    switch (method) {
      case 'Receipt.Sale': {
        requireFiscalReady();
        const p = parse(LooseReceipt, params);
        checkReceipt('sale', p);
        return fiscalAnswer(register('sale', p, null));
      }
      case 'Receipt.Refund': {
        requireFiscalReady();
        const p = parse(LooseRefund, params);
        checkReceipt('refund', p);
        let saleId: string | null = null;
        if (p.refund_info) {
          const sale = findSale(p.refund_info);
          if (!sale) throw new RpcFailure(701003, 'Чек продажи по refund_info не найден');
          refundSale(sale, p.positions.reduce((s, x) => s + x.amount, 0));
          saleId = sale.id;
        }
        return fiscalAnswer(register('refund', p, saleId));
      }
      case 'Receipt.Credit': {
        const p = parse(LooseReceipt, params);
        checkReceipt('credit', p);
        return { id: register('credit', p, null).id };
      }
      case 'Receipt.FullRefund': {
        requireFiscalReady();
        const p = parse(z.object({ QRCodeURL: z.string().min(1), code: z.string().nullish() }), params);
        if (uniqueCodeCheck && p.code && state.receipts.some((r) => r.code === p.code)) {
          throw new RpcFailure(701003, `Чек с кодом "${p.code}" уже существует`);
        }
        const sale = findSale({ QRCodeURL: p.QRCodeURL });
        if (!sale) throw new RpcFailure(701003, 'Чек продажи не найден');
        refundSale(sale, sale.Amount);
        const saleParams = parse(LooseReceipt, sale.params);
        return fiscalAnswer(register('refund', { ...saleParams, code: p.code }, sale.id));
      }
      case 'Receipt.GetInfo': {
        const p = parse(z.object({ code: z.string().min(1) }), params);
        const r = state.receipts.find((x) => x.code === p.code);
        return r ? { ...fiscalAnswer(r), code: r.code } : null;
      }
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
