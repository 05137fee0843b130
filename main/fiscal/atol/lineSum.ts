import { ITEM_SIGN_CODE, PAYMENT_METHOD_CODE, type FiscalPosition } from '../receipt';
import type { AtolLine } from './commands';

/**
 * A position's sum as an ATOL device makes it from E6's price and quantity: E6 carries no sum ([A4J]
 * ItemRegistrationCommand), so the device multiplies and rounds to the kopeck itself. Half up is our rule
 * (no readable source gives the device's, PROTOCOL.md §4 "A line's sum"). The emulator, which imports
 * nothing from main/, keeps its own copy written from that section; lineSum.test.ts checks they agree.
 */
export function deviceLineSum(priceMinor: number, quantityMilli: number): number {
  return Number((BigInt(priceMinor) * BigInt(quantityMilli) + 500n) / 1000n);
}

/**
 * E6 for a receipt position. Its amount may be a kopeck from the device's rounding (a sale's remainder,
 * within what checkReceipt allows): the difference goes in E6's sum discount (−) or markup (+), so the line
 * the ФН stores, and the receipt's total, are the amounts sent (PROTOCOL.md §4 "A line's sum").
 */
export function atolLine(p: FiscalPosition, taxNumber: number): AtolLine {
  return {
    name: p.name,
    priceMinor: p.priceMinor,
    quantityMilli: p.quantityMilli,
    adjustmentMinor: p.amountMinor - deviceLineSum(p.priceMinor, p.quantityMilli),
    itemSign: ITEM_SIGN_CODE[p.itemSign],
    paymentMethod: PAYMENT_METHOD_CODE[p.paymentMethod],
    taxNumber,
  };
}
