import { switchLayout } from './keyboardLayout';
import type { Sale } from '../../../preload/contract';

/**
 * The QR codes printed on the customer's receipt, as a scanner types them.
 *
 * Russia (54-ФЗ): "t=20180717T0904&s=1000.00&fn=9999999999999242&i=33647&fp=2124438805&n=1" — date and
 * time (seconds optional), total in rubles with kopecks, ФН number, fiscal document number (ФД), fiscal
 * sign (ФП/ФПД) and the kind of calculation (1 приход, 2 возврат прихода, 3 расход, 4 возврат расхода).
 * Sources: a real register's answer quoting such a string (https://pastebin.com/uQN7skvj, field "QR") and
 * the list of required receipt details (ФН, ФД, ФПД; http://chek-pek.ru/); recorded in main/refunds/README.md.
 *
 * Uzbekistan (REGOS VCR): the receipt's QRCodeURL, "https://ofd.soliq.uz/check?t=UZ210108170541&r=20&
 * c=20220531161950&s=345411154513" — terminal (fiscal module) id, receipt number, date-time and fiscal sign
 * (seed 002's refund_info example; docs.regos.uz Receipt.GetInfo and RefundInfo pages, main/backends/README.md).
 *
 * A scanner with the Russian layout active types the same keys as Cyrillic ("е=2018...&ы=..."): each parser
 * also tries the text as typed on the other layout.
 */

export interface RuFiscalQr {
  kind: 'ruFiscal';
  /** Local date-time of the receipt, "YYYY-MM-DDTHH:MM[:SS]". */
  dateTime: string;
  totalMinor: number;
  fn: string;
  fd: string;
  fp: string;
  /** 1 приход, 2 возврат прихода, 3 расход, 4 возврат расхода. */
  operation: 1 | 2 | 3 | 4;
}

export interface RegosQr {
  kind: 'regos';
  /** As printed (https), the form VCR compares: refund_info.QRCodeURL and Receipt.GetInfo take it whole. */
  url: string;
  terminalId: string;
  receiptNo: string;
  /** "YYYY-MM-DD HH:MM:SS", VCR's DateTime form; absent when `c` is not a real date (docs.regos.uz's own
   *  FullRefund example has c=20226521482150, month 65: VCR matches the URL whole, so such a code still counts). */
  dateTime?: string;
  fiscalSign: string;
}

export type FiscalQr = RuFiscalQr | RegosQr;

const RU_T = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?$/;
const RU_S = /^(\d{1,12})(?:\.(\d{1,2}))?$/;

function params(text: string): Map<string, string> | null {
  const out = new Map<string, string>();
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return null;
    const key = part.slice(0, eq).toLowerCase();
    if (out.has(key)) return null;
    out.set(key, part.slice(eq + 1));
  }
  return out;
}

function validDate(y: string, mo: string, d: string, h: string, mi: string, s: string): boolean {
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(mo) - 1 && date.getUTCDate() === Number(d)
    && date.getUTCHours() === Number(h) && date.getUTCMinutes() === Number(mi) && date.getUTCSeconds() === Number(s);
}

function parseRu(text: string): RuFiscalQr | null {
  const p = params(text.trim());
  if (!p) return null;
  const t = RU_T.exec(p.get('t') ?? '');
  const s = RU_S.exec(p.get('s') ?? '');
  const fn = p.get('fn') ?? '';
  const fd = p.get('i') ?? '';
  const fp = p.get('fp') ?? '';
  const n = Number(p.get('n'));
  if (!t || !s || !/^\d{16}$/.test(fn) || !/^\d{1,10}$/.test(fd) || !/^\d{1,10}$/.test(fp) || ![1, 2, 3, 4].includes(n)) return null;
  const [, y = '', mo = '', d = '', h = '', mi = '', sec] = t;
  if (!validDate(y, mo, d, h, mi, sec ?? '00')) return null;
  const totalMinor = Number(s[1]) * 100 + Number((s[2] ?? '0').padEnd(2, '0'));
  return {
    kind: 'ruFiscal',
    dateTime: `${y}-${mo}-${d}T${h}:${mi}${sec ? `:${sec}` : ''}`,
    totalMinor,
    fn,
    fd: fd.replace(/^0+(?=\d)/, ''),
    fp: fp.replace(/^0+(?=\d)/, ''),
    operation: n as RuFiscalQr['operation'],
  };
}

const REGOS_C = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
const REGOS_C_ANY = /^\d{8,14}$/;

function parseRegos(text: string): RegosQr | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  if (!/^https?:$/.test(url.protocol) || url.hostname.toLowerCase() !== 'ofd.soliq.uz') return null;
  const terminalId = url.searchParams.get('t') ?? '';
  const receiptNo = url.searchParams.get('r') ?? '';
  const c = url.searchParams.get('c') ?? '';
  const fiscalSign = url.searchParams.get('s') ?? '';
  if (!/^[A-Z]{2}\d{6,20}$/i.test(terminalId) || !/^\d{1,12}$/.test(receiptNo) || !REGOS_C_ANY.test(c) || !/^\d{6,20}$/.test(fiscalSign)) return null;
  const [, y = '', mo = '', d = '', h = '', mi = '', sec = ''] = REGOS_C.exec(c) ?? [];
  const dated = y !== '' && validDate(y, mo, d, h, mi, sec);
  return {
    kind: 'regos', url: text.trim(), terminalId: terminalId.toUpperCase(), receiptNo: receiptNo.replace(/^0+(?=\d)/, ''), fiscalSign,
    ...(dated ? { dateTime: `${y}-${mo}-${d} ${h}:${mi}:${sec}` } : {}),
  };
}

/** The fiscal QR a scanner typed (in either layout), or null when the text is not one. */
export function parseFiscalQr(text: string): FiscalQr | null {
  for (const candidate of [text, switchLayout(text)]) {
    const found = parseRu(candidate) ?? parseRegos(candidate);
    if (found) return found;
  }
  return null;
}

/** Two REGOS QR URLs name the same receipt: the same terminal, receipt number and fiscal sign. */
export function sameRegosReceipt(a: RegosQr, b: RegosQr): boolean {
  return a.terminalId === b.terminalId && a.receiptNo === b.receiptNo && a.fiscalSign === b.fiscalSign;
}

/**
 * True when a recorded sale is the receipt the QR names: by fiscal document number and total for a
 * Russian receipt (this till's record holds no ФН number for a sale), by terminal, receipt number and
 * fiscal sign for a REGOS one.
 */
export function qrNamesSale(qr: FiscalQr, sale: Pick<Sale, 'fiscal' | 'totalMinor'>): boolean {
  const f = sale.fiscal;
  if (!f) return false;
  const docNo = (f.documentNumber ?? '').replace(/^0+(?=\d)/, '');
  if (qr.kind === 'ruFiscal') return docNo === qr.fd && sale.totalMinor === qr.totalMinor;
  const printed = f.qrCodeUrl ? parseFiscalQr(f.qrCodeUrl) : null;
  if (printed?.kind === 'regos') return sameRegosReceipt(printed, qr);
  return (f.terminalId ?? '').toUpperCase() === qr.terminalId && docNo === qr.receiptNo && (f.fiscalSign === undefined || f.fiscalSign === qr.fiscalSign);
}

/** A QR's total for a cashier's message: "583,80 ₽". */
export function rubles(minor: number): string {
  return `${Math.floor(minor / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0')},${String(minor % 100).padStart(2, '0')} ₽`;
}
