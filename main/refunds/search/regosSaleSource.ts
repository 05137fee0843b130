import type { RegosClient } from '../../backends/regos/regosClient';
import type { RegosReceiptInfo } from '../../backends/regos/schemas';
import type { Sale } from '../../../preload/contract';
import type { RemoteSale, SaleSource } from '../saleSources';
import { vcrTimeToIso } from '../../settings/tillTimeZone';

/**
 * REGOS sales in a real store, through what VCR offers. Receipt.GetInfo (docs.regos.uz, see
 * main/backends/README.md "REGOS sale lookup") finds a receipt by its QR code URL, its receipt number in
 * the fiscal module or VCR's id, and answers fiscal data only: id, Amount, TerminalID, ReceiptNo,
 * DateTime, FiscalSign, QRCodeURL. No call returns a sale's positions, so a sale found here has no lines:
 * the cashier enters the lines to refund from the paper receipt (nothing is guessed), unless this till
 * recorded the sale itself (SeenSales). The QR URL alone is the refund_info seed 002 asks for
 * ("если поле QRCodeURL передано, остальные поля игнорируются").
 */
/** VCR's fiscal data of a sale receipt as the sale keeps it (what refund_info is built from). */
export function saleFiscalOf(info: RegosReceiptInfo): NonNullable<Sale['fiscal']> {
  return {
    ...(info.ReceiptNo ? { documentNumber: info.ReceiptNo } : {}),
    ...(info.FiscalSign ? { fiscalSign: info.FiscalSign } : {}),
    ...(info.DateTime ? { dateTime: info.DateTime } : {}),
    ...(info.TerminalID ? { terminalId: info.TerminalID } : {}),
    ...(info.QRCodeURL ? { qrCodeUrl: info.QRCodeURL } : {}),
  };
}

/** `zone`: the till's time zone, in which VCR's zone-less receipt time is read (main/settings/tillTimeZone.ts). */
export function saleFromReceiptInfo(info: RegosReceiptInfo, zone: string): RemoteSale {
  return {
    sale: {
      ref: { source: 'regos', id: info.id },
      number: info.ReceiptNo ?? info.id,
      // VCR's "YYYY-MM-DD HH:MM:SS" is the till's local time.
      createdAt: vcrTimeToIso(info.DateTime, zone),
      currency: 'UZS',
      totalMinor: info.Amount ?? 0,
      lines: [],
      payments: [],
      fiscal: saleFiscalOf(info),
    },
    knownToServer: new Set(),
  };
}

const RECEIPT_NO = /^\d{1,12}$/;

export function regosSaleSource(client: () => RegosClient, zone: () => string): SaleSource {
  const one = (info: RegosReceiptInfo | null): RemoteSale[] => (info ? [saleFromReceiptInfo(info, zone())] : []);
  return {
    name: 'regos',
    // A typed number is a receipt number in the fiscal module (what the REGOS receipt prints as "Чек №").
    find: async (query, signal) => (RECEIPT_NO.test(query.trim()) ? one(await client().receiptInfo({ ReceiptNo: query.trim().replace(/^0+(?=\d)/, '') }, signal)) : []),
    byFiscalQr: async (qr, signal) => (qr.kind === 'regos' ? one(await client().receiptInfo({ QRCodeURL: qr.url }, signal)) : []),
    get: async (id, signal) => one(await client().receiptInfo({ Id: id }, signal))[0] ?? null,
    // VCR lists no receipts by day.
    onDay: async () => [],
  };
}
