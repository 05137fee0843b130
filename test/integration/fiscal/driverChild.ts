/** A cashier app in its own process, so a test can kill -9 it mid-receipt. Prints wire traces to stdout. */
import { ShtrihDriver } from '../../../main/fiscal/shtrih/driver';
import type { FiscalReceiptInput } from '../../../main/fiscal/receipt';

const [path, baud, receiptJson] = process.argv.slice(2);
if (!path || !baud || !receiptJson) throw new Error('usage: driverChild PATH BAUD RECEIPT_JSON');
const driver = await ShtrihDriver.connect({
  port: { path, baudRate: Number(baud) },
  trace: (dir, bytes) => process.stdout.write(`${dir} ${bytes.toString('hex')}\n`),
});
process.stdout.write('connected\n');
const doc = await driver.printReceipt(JSON.parse(receiptJson) as FiscalReceiptInput);
process.stdout.write(`printed ${doc.number}\n`);
await driver.close();
