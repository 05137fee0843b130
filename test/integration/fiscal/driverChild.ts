/** A cashier app in its own process, so a test can kill -9 it mid-receipt. Prints wire traces to stdout. */
import type { FiscalReceiptInput } from '../../../main/fiscal/receipt';
import { PROTOCOLS_UNDER_TEST } from './protocols';

const [protocol, path, baud, receiptJson] = process.argv.slice(2);
if ((protocol !== 'shtrih' && protocol !== 'atol') || !path || !baud || !receiptJson) throw new Error('usage: driverChild shtrih|atol PATH BAUD RECEIPT_JSON');
const driver = await PROTOCOLS_UNDER_TEST[protocol].connect(path, Number(baud), { trace: (dir, bytes) => process.stdout.write(`${dir} ${bytes.toString('hex')}\n`) });
process.stdout.write('connected\n');
const doc = await driver.printReceipt(JSON.parse(receiptJson) as FiscalReceiptInput);
process.stdout.write(`printed ${doc.number}\n`);
await driver.close();
