import iconv from 'iconv-lite';
import { z } from 'zod';
import { AppError } from '../../appError';
import type { VatRate } from '../../../preload/contract/domain';
import { RATE_TEXT, type TaxGroupPlan, type VatGroups } from '../taxGroups';

/**
 * ATOL protocol 3.1 commands the driver uses (PROTOCOL.md §4): request bytes and zod-checked answers.
 * Every request starts with the 2-byte BCD access password; answers are 'U' (55) + error + extension,
 * or 'D' (44) for the device state.
 */
export interface AtolCommand<T> {
  name: string;
  code: number;
  request: Buffer;
  /** A request that changes nothing may be sent again when its ADD is lost (transport.ts). */
  resendable: boolean;
  answerMs?: number;
  parse(answer: Buffer): T;
}

export const bcd = (value: number, bytes: number): Buffer => {
  if (!Number.isSafeInteger(value) || value < 0 || value >= 100 ** bytes) throw new RangeError(`${value} does not fit ${bytes} BCD bytes`);
  const out = Buffer.alloc(bytes);
  let v = value;
  for (let i = bytes - 1; i >= 0; i--) {
    const two = v % 100;
    out[i] = (Math.floor(two / 10) << 4) | two % 10;
    v = Math.floor(v / 100);
  }
  return out;
};

export const fromBcd = (b: Buffer): number => b.reduce((v, x) => v * 100 + (x >> 4) * 10 + (x & 0x0f), 0);

/**
 * CP866 has no typographic quotes and dashes, which shop catalogues are full of («Домик», 1–2 л): they are
 * printed as their plain forms rather than as '?'.
 */
const PLAIN: Record<string, string> = { '«': '"', '»': '"', '„': '"', '“': '"', '”': '"', '‘': "'", '’': "'", '–': '-', '—': '-', '…': '...' };
export const atolPrintable = (text: string): string => text.replace(/[«»„“”‘’–—…]/g, (c) => PLAIN[c] ?? c);

/** ATOL's character table: CP866 with № and $ swapped (PROTOCOL.md §4). */
export function atolText(text: string, width?: number): Buffer {
  const bytes = iconv.encode(atolPrintable(text).replace(/[$№]/g, (c) => (c === '$' ? '№' : '$')), 'cp866');
  if (width === undefined) return bytes;
  const out = Buffer.alloc(width);
  bytes.copy(out, 0, 0, width);
  return out;
}

export const fromAtolText = (b: Buffer): string =>
  iconv
    .decode(b, 'cp866')
    .replace(/\0+$/, '')
    .replace(/[$№]/g, (c) => (c === '$' ? '№' : '$'));

/** Error texts ([A4J] error-messages.properties, PROTOCOL.md §5) and what the cashier does now. */
const ERROR_TEXT: Record<number, string> = {
  102: 'Команда не выполняется в текущем режиме кассы. Закройте меню на кассе и повторите.',
  103: 'Нет бумаги. Вставьте чековую ленту и повторите.',
  118: 'Предыдущая операция не завершена. Повторите через несколько секунд.',
  123: 'Касса не приняла поправку суммы позиции (неверная величина скидки/надбавки). Позовите администратора.',
  122: 'Эта модель кассы не выполняет команду.',
  135: 'Открыт чек возврата: операция невозможна. Отмените чек и повторите.',
  136: 'Смена превысила 24 часа. Закройте смену и откройте новую.',
  137: 'Открыт чек прихода: операция невозможна. Отмените чек и повторите.',
  140: 'Неверный пароль кассы. Проверьте пароль в настройках.',
  152: 'В кассе нет столько наличных для выплаты. Проверьте сумму.',
  154: 'Чек закрыт: операция невозможна.',
  155: 'Чек открыт: операция невозможна. Отмените чек и повторите.',
  156: 'Смена открыта: операция невозможна.',
  168: 'Касса не фискализирована.',
  172: 'Указанного чека нет в электронном журнале.',
  186: 'Ошибка обмена с фискальным накопителем. Позовите администратора.',
  212: 'Неверное состояние ФН. Позовите администратора.',
  215: 'Срок ФН закончился. Позовите администратора.',
  216: 'Архив ФН переполнен. Позовите администратора.',
  218: 'В ФН нет запрошенных данных.',
};

export const PAPER_OUT = 103;
export const NO_DATA = 218;

export function deviceError(name: string, code: number): AppError {
  return new AppError({
    code: code === PAPER_OUT ? 'FISCAL_PAPER_OUT' : 'FISCAL_DEVICE_ERROR',
    message: `Касса АТОЛ: ${ERROR_TEXT[code] ?? `ошибка ${code}. Позовите администратора.`}`,
    retry: code === PAPER_OUT || code === 118 ? 'transient' : 'permanent',
    deviceCode: code,
    detail: `ATOL ${name}: device error ${code} (0x${code.toString(16)})`,
  });
}

function malformed(name: string, why: string): AppError {
  return new AppError({
    code: 'FISCAL_BAD_ANSWER',
    message: 'Касса АТОЛ ответила неожиданно. Проверьте, что в настройках выбран верный протокол.',
    retry: 'permanent',
    detail: `ATOL ${name}: ${why}`,
  });
}

/** 'U' answers: error byte 0 or a device error. */
function checked(name: string, answer: Buffer): Buffer {
  if (answer[0] !== 0x55 || answer.length < 3) throw malformed(name, `answer ${answer.toString('hex')} is not 55 EC EXT`);
  const code = answer[1] ?? 0;
  if (code !== 0) throw deviceError(name, code);
  return answer.subarray(3);
}

function parsed<S extends z.ZodTypeAny>(name: string, schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw malformed(name, r.error.message);
  return r.data;
}

/** The access password every request carries: 2 BCD bytes, 0 as shipped ([A4J] CashRegisterIT). */
const ACCESS_PASSWORD = Buffer.from([0, 0]);

function command<T>(name: string, code: number, data: number[] | Buffer, parse: (answer: Buffer) => T, opts: { resendable?: boolean; answerMs?: number } = {}): AtolCommand<T> {
  return {
    name,
    code,
    request: Buffer.concat([ACCESS_PASSWORD, Buffer.from([code]), Buffer.from(data)]),
    resendable: opts.resendable ?? false,
    ...(opts.answerMs === undefined ? {} : { answerMs: opts.answerMs }),
    parse,
  };
}

const done = (name: string) => (answer: Buffer): void => {
  checked(name, answer);
};
const PRINT_MS = 30_000;

// ---- device state (3F, 45) ----------------------------------------------------------------------------

export const DeviceState = z.object({
  mode: z.number().int().min(0).max(15),
  submode: z.number().int().min(0).max(15),
  fiscalized: z.boolean(),
  shiftOpen: z.boolean(),
  drawerOpen: z.boolean(),
  paperPresent: z.boolean(),
  coverOpen: z.boolean(),
  serial: z.string(),
  /** Receipt type byte of the open receipt (command 92), 0 when none is open. */
  receiptType: z.number().int().min(0),
  receiptNumber: z.number().int().nonnegative(),
  shiftNumber: z.number().int().nonnegative(),
  dateTime: z.string(),
});
export type DeviceState = z.infer<typeof DeviceState>;

const two = (n: number): string => String(n).padStart(2, '0');

export const deviceState = (): AtolCommand<DeviceState> =>
  command(
    'device state 3F',
    0x3f,
    [],
    (a) => {
      if (a[0] !== 0x44) {
        checked('device state 3F', a);
        throw malformed('device state 3F', `answer ${a.toString('hex')} is not 'D'`);
      }
      if (a.length < 30) throw malformed('device state 3F', `answer of ${a.length} bytes`);
      const d = (i: number): number => fromBcd(a.subarray(i, i + 1));
      const flags = a[9] ?? 0;
      const modeByte = a[17] ?? 0;
      return parsed('device state 3F', DeviceState, {
        mode: modeByte & 0x0f,
        submode: modeByte >> 4,
        fiscalized: (flags & 1) !== 0,
        shiftOpen: (flags & 2) !== 0,
        drawerOpen: (flags & 4) !== 0,
        paperPresent: (flags & 8) !== 0,
        coverOpen: (flags & 32) !== 0,
        serial: String(fromBcd(a.subarray(10, 14))),
        receiptType: a[22] ?? 0,
        receiptNumber: fromBcd(a.subarray(18, 20)),
        shiftNumber: fromBcd(a.subarray(20, 22)),
        dateTime: `20${two(d(3))}-${two(d(4))}-${two(d(5))}T${two(d(6))}:${two(d(7))}:${two(d(8))}`,
      });
    },
    { resendable: true },
  );

// ---- modes (56, 48) -------------------------------------------------------------------------------------

export const Mode = { registration: 1, xReports: 2, zReports: 3 } as const;

export const enterMode = (mode: number, password: number): AtolCommand<void> =>
  command('enter mode 56', 0x56, Buffer.concat([Buffer.from([mode]), bcd(password, 4)]), done('enter mode 56'));
export const leaveMode = (): AtolCommand<void> => command('leave mode 48', 0x48, [], done('leave mode 48'));

// ---- tags (E8, our layout: PROTOCOL.md §4 "not confirmed") --------------------------------------------

export const writeTag = (tag: number, value: string): AtolCommand<void> => {
  const bytes = atolText(value);
  const head = Buffer.alloc(4);
  head.writeUInt16LE(tag, 0);
  head.writeUInt16LE(bytes.length, 2);
  return command(`write tag ${tag} E8`, 0xe8, Buffer.concat([head, bytes]), done('write tag E8'));
};

// ---- shift and reports ---------------------------------------------------------------------------------

export const openShift = (): AtolCommand<void> => command('open shift 9A', 0x9a, [0], done('open shift 9A'), { answerMs: PRINT_MS });
export const closeShift = (): AtolCommand<void> => command('close shift 5A', 0x5a, [], done('close shift 5A'), { answerMs: PRINT_MS });
export const xReport = (): AtolCommand<void> => command('X report 67', 0x67, [1], done('X report 67'), { answerMs: PRINT_MS });

// ---- receipt (92, E6, 99, 4A, 59) ----------------------------------------------------------------------

/** Receipt types of command 92 ([A4J] OpenBillCommand). */
export const ReceiptType = { income: 1, refundOfIncome: 2, expense: 4, refundOfExpense: 5, correctionIncome: 7, correctionExpense: 9 } as const;
/** Payment types of commands 99 / 4A ([A4J] RemittanceCommand). */
export const PaymentType = { cash: 1, cashless: 2, advance: 3, credit: 4 } as const;

export const openReceipt = (type: number): AtolCommand<void> => command('open receipt 92', 0x92, [0, type], done('open receipt 92'));

export interface AtolLine {
  name: string;
  priceMinor: number;
  quantityMilli: number;
  /** Sum discount (< 0) or markup (> 0) on price × quantity as the device rounds it (lineSum.ts). */
  adjustmentMinor: number;
  itemSign: number;
  paymentMethod: number;
  taxNumber: number;
}

/** E6's data after the command code: bytes 1–103 ([A4J] ItemRegistrationCommand, a 104-byte message). */
const E6_DATA_LENGTH = 103;
/** Discount type byte: [A4J] always sends 1 with an amount in kopecks, a discount by sum. */
const DISCOUNT_BY_SUM = 1;

/**
 * E6 ([A4J] ItemRegistrationCommand, offsets with the code at byte 0): flags 1, name 2–65, price 66–71,
 * quantity 72–76, discount type 77, sign 78 (0 скидка, 1 надбавка), discount amount 79–84, tax 85, section
 * 86; [A4J] zero-fills 87–103, where our item sign (1212) and payment method (1214) go (PROTOCOL.md §4 "Not
 * confirmed").
 */
export const registerLine = (l: AtolLine): AtolCommand<void> => {
  const data = Buffer.alloc(E6_DATA_LENGTH);
  Buffer.concat([
    Buffer.from([0]),
    atolText(l.name, 64),
    bcd(l.priceMinor, 6),
    bcd(l.quantityMilli, 5),
    Buffer.from([DISCOUNT_BY_SUM, l.adjustmentMinor > 0 ? 1 : 0]),
    bcd(Math.abs(l.adjustmentMinor), 6),
    Buffer.from([l.taxNumber, 0, l.itemSign, l.paymentMethod]),
  ]).copy(data);
  return command('register position E6', 0xe6, data, done('register position E6'), { answerMs: PRINT_MS });
};

export const payment = (type: number, amountMinor: number): AtolCommand<void> =>
  command('payment 99', 0x99, Buffer.concat([Buffer.from([0, type]), bcd(amountMinor, 5)]), done('payment 99'));
export const closeReceipt = (type: number, amountMinor: number): AtolCommand<void> =>
  command('close receipt 4A', 0x4a, Buffer.concat([Buffer.from([0, type]), bcd(amountMinor, 5)]), done('close receipt 4A'), { answerMs: PRINT_MS });
export const cancelReceipt = (): AtolCommand<void> => command('cancel receipt 59', 0x59, [], done('cancel receipt 59'), { answerMs: PRINT_MS });

// ---- printing and drawer -------------------------------------------------------------------------------

export const printLine = (text: string): AtolCommand<void> => command('print line 4C', 0x4c, atolText(text), done('print line 4C'), { answerMs: PRINT_MS });
export const openDrawer = (): AtolCommand<void> => command('open drawer 80', 0x80, [], done('open drawer 80'));

// ---- device type, cash (A5, 4D, 49, 4F: [A4J]) -------------------------------------------------------

export const DeviceType = z.object({
  protocolVersion: z.number().int().nonnegative(),
  type: z.number().int().nonnegative(),
  model: z.number().int().nonnegative(),
  /** Five version bytes as the device sends them ([A4J] DeviceTypeRequest `deviceVersion`). */
  version: z.array(z.number().int().min(0).max(255)).length(5),
  name: z.string(),
});
export type DeviceType = z.infer<typeof DeviceType>;

/** A5: error byte, protocol version, type, model, mode (2), version (5), name to the end ([A4J] DeviceTypeRequest). */
export const deviceType = (): AtolCommand<DeviceType> =>
  command(
    'device type A5',
    0xa5,
    [],
    (a) => {
      if (a.length < 11) throw malformed('device type A5', `answer of ${a.length} bytes`);
      if (a[0] !== 0) throw deviceError('device type A5', a[0] ?? 0);
      return parsed('device type A5', DeviceType, {
        protocolVersion: a[1],
        type: a[2],
        model: a[3],
        version: [...a.subarray(6, 11)],
        name: fromAtolText(a.subarray(11)),
      });
    },
    { resendable: true },
  );

/** 4D: answers '4D' and the cash sum in BCD to the end, or 55 EC EXT on an error ([A4J] CashRequest). */
export const cashRequest = (): AtolCommand<number> =>
  command(
    'cash in drawer 4D',
    0x4d,
    [],
    (a) => {
      if (a[0] !== 0x4d) {
        checked('cash in drawer 4D', a);
        throw malformed('cash in drawer 4D', `answer ${a.toString('hex')} is not '4D'`);
      }
      if (a.length < 2) throw malformed('cash in drawer 4D', 'answer without a sum');
      return fromBcd(a.subarray(1));
    },
    { resendable: true },
  );

/** 49 внесение / 4F выплата, mode 1: flags (bit0 test), sum 5 BCD ([A4J] CashIncomeCommand, CashPaymentCommand). */
export const cashMove = (kind: 'in' | 'out', amountMinor: number): AtolCommand<void> => {
  const name = kind === 'in' ? 'cash in 49' : 'cash out 4F';
  return command(name, kind === 'in' ? 0x49 : 0x4f, Buffer.concat([Buffer.from([0]), bcd(amountMinor, 5)]), done(name), { answerMs: PRINT_MS });
};

// ---- ФН (A4 30, A4 45: codes [UNACT], fields ours) -----------------------------------------------------

export const FnState = z.object({
  shiftOpen: z.boolean(),
  receiptOpen: z.boolean(),
  lastDocumentNumber: z.number().int().nonnegative(),
  fnNumber: z.string(),
  shiftExpired: z.boolean(),
});
export type FnState = z.infer<typeof FnState>;

export const fnState = (): AtolCommand<FnState> =>
  command(
    'ФН status A4 30',
    0xa4,
    [0x30],
    (answer) => {
      const a = checked('ФН status A4 30', answer);
      if (a.length < 24) throw malformed('ФН status A4 30', `answer of ${a.length} bytes`);
      return parsed('ФН status A4 30', FnState, {
        shiftOpen: a[1] === 1,
        receiptOpen: a[2] === 1,
        lastDocumentNumber: a.readUInt32LE(3),
        fnNumber: a.subarray(7, 23).toString('ascii').trim(),
        shiftExpired: a[23] === 1,
      });
    },
    { resendable: true },
  );

export const FnDocument = z.object({
  /** FFD document type: 2 open shift, 3 receipt, 5 close shift, 31 correction. */
  type: z.number().int(),
  number: z.number().int().positive(),
  fiscalSign: z.number().int().nonnegative(),
  dateTime: z.string(),
  /** Tag 1054, 0 for documents without one. */
  operation: z.number().int().min(0).max(4),
  totalMinor: z.number().int().nonnegative(),
});
export type FnDocument = z.infer<typeof FnDocument>;

export const fnDocument = (number: number): AtolCommand<FnDocument> => {
  const n = Buffer.alloc(4);
  n.writeUInt32LE(number);
  return command(
    'ФН document A4 45',
    0xa4,
    Buffer.concat([Buffer.from([0x45]), n]),
    (answer) => {
      const a = checked('ФН document A4 45', answer);
      if (a.length < 21) throw malformed('ФН document A4 45', `answer of ${a.length} bytes`);
      const dt = (i: number): string => two(a[i] ?? 0);
      return parsed('ФН document A4 45', FnDocument, {
        type: a[0],
        number: a.readUInt32LE(1),
        fiscalSign: a.readUInt32LE(5),
        dateTime: `20${dt(9)}-${dt(10)}-${dt(11)}T${dt(12)}:${dt(13)}`,
        operation: a[14],
        totalMinor: a.readUIntLE(15, 6),
      });
    },
    { resendable: true },
  );
};

// ---- VAT ------------------------------------------------------------------------------------------------

/**
 * ATOL tax numbers ([UNACT] tax_number.rb: 1 НДС 0 %, 2 НДС 10 %, 3 НДС 18 % — the row firmware since 2019
 * prints as 20 % —, 4 без НДС, 5 10/110, 6 18/118 → 20/120). The 2026 rates (22 %, 5 %, 7 %) have no public
 * source for ATOL: refused, so a refund never prints a wrong rate.
 */
const ATOL_TAX: Partial<Record<VatRate, number>> = { vat0: 1, vat10: 2, vat20: 3, none: 4, vat110: 5, vat120: 6 };

/**
 * The store's settings (F9 «Налоговые группы ККТ») may name the tax number for a rate: IT has checked on the
 * device that this number prints that rate, so it is used, also for a rate with no public number (2026).
 */
export function atolTaxPlan(overrides: VatGroups = {}): TaxGroupPlan {
  const groups: VatGroups = { ...ATOL_TAX };
  const refused: TaxGroupPlan['refused'] = {};
  for (const rate of ['vat5', 'vat7', 'vat22', 'vat105', 'vat107', 'vat122'] as const) {
    if (overrides[rate] !== undefined) continue;
    refused[rate] = `ставку ${RATE_TEXT[rate]} эта касса АТОЛ через приложение не печатает: номер налога для неё не задан. Укажите его в настройках F9 → «Налоговые группы ККТ» (как в таблице налогов ККТ) или позовите администратора.`;
  }
  for (const rate of ['vat12', 'vat15'] as const) {
    refused[rate] = `ставка ${RATE_TEXT[rate]} — узбекская, в чеке ККТ России её нет. Проверьте, из какой системы взята продажа.`;
  }
  for (const [rate, n] of Object.entries(overrides) as Array<[VatRate, number]>) {
    if (refused[rate] === undefined) groups[rate] = n;
  }
  return { groups, refused };
}
