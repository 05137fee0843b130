/**
 * For the store's IT person: `npm run fiscal -- <status|x-report|last-document|ports> --port PATH [--baud 115200]
 * [--protocol shtrih|atol|auto]`; every protocol through the device interface and its registry (protocols.ts).
 * Exit codes: 0 ok, 2 usage, 3 the device reported an error, 4 no answer (port, cable, power),
 * 5 the system could not list its serial ports. An expected failure prints its Russian message and
 * code, never a stack trace; only a bug in this program does.
 */
import { parseArgs } from 'node:util';
import { isAppError, type AppError } from '../appError';
import { listSerialPorts } from '../settings/serialPorts';
import type { SerialPortInfo } from '../../preload/contract';
import type { DeviceIdentity, DeviceStatus, FiscalDevice } from './device';
import type { FiscalDocument } from './documents';
import { PROTOCOLS, connectFiscalDevice, isProtocolChoice } from './protocols';
import { isUzbekRate, RATE_TEXT, type TaxGroupPlan } from './taxGroups';
import type { VatRate } from '../../preload/contract/domain';
import { minorText } from '../decimalText';

const USAGE = `Использование / usage:
  npm run fiscal -- status        --port /dev/ttyUSB0 [--baud 115200] [--password 30] [--protocol shtrih|atol|auto]
  npm run fiscal -- x-report      --port COM3 [--baud 115200] [--protocol shtrih|atol|auto]
  npm run fiscal -- last-document --port COM3 [--baud 115200] [--protocol shtrih|atol|auto]
  npm run fiscal -- ports`;

const EXIT = { ok: 0, usage: 2, device: 3, noAnswer: 4, system: 5 } as const;
const NO_ANSWER_CODES = new Set(['FISCAL_NO_ANSWER', 'FISCAL_ANSWER_LOST', 'FISCAL_PORT_OPEN', 'FISCAL_PORT_CLOSED']);

const yesNo = (b: boolean): string => (b ? 'да / yes' : 'нет / no');

const unknown = 'не сообщает / not reported';

function printIdentity(id: DeviceIdentity): void {
  console.log('ККТ / Device');
  console.log(`  Протокол / protocol:         ${PROTOCOLS[id.protocol].label}${id.protocolVersion === null ? '' : ` ${id.protocolVersion}`}`);
  console.log(`  Модель / model:              ${id.model ?? unknown}${id.modelNumber === null ? '' : ` (№ модели ${id.modelNumber})`}`);
  const build = [id.firmwareBuild === null ? '' : ` сборка ${id.firmwareBuild}`, id.firmwareDate === null ? '' : ` от ${id.firmwareDate}`].join('');
  console.log(`  Прошивка / firmware:         ${id.firmware ?? unknown}${build}`);
}

/** Which group prints each rate on this device, and why a rate is refused: what IT updates. */
function printTaxPlan(plan: TaxGroupPlan): void {
  console.log('Ставки НДС / VAT rates');
  for (const vat of Object.keys(RATE_TEXT) as VatRate[]) {
    if (isUzbekRate(vat)) continue;
    const group = plan.groups[vat];
    const refused = plan.refused[vat];
    console.log(`  ${RATE_TEXT[vat].padEnd(8)} ${group === undefined ? `нельзя / refused: ${refused ?? '?'}` : `группа / group ${group}`}`);
  }
}

function printStatus(s: DeviceStatus): void {
  console.log('Статус ККТ / Device status');
  console.log(`  Режим / mode:                ${s.modeText}`);
  console.log(`  Смена открыта / shift open:  ${yesNo(s.shiftOpen)}`);
  console.log(`  Смена > 24 ч / over 24 h:    ${yesNo(s.shiftExpired)}`);
  console.log(`  Открыт документ / open doc:  ${yesNo(s.openDocument)}`);
  console.log(`  Нет бумаги / paper out:      ${yesNo(s.paperOut)}`);
  console.log(`  Крышка открыта / cover open: ${yesNo(s.coverOpen)}`);
  console.log(`  Последний ФД / last doc no.: ${s.lastDocumentNumber}`);
  console.log(`  Номер ФН / FN number:        ${s.fnNumber}`);
  console.log(`  Заводской номер / serial:    ${s.serial}`);
  console.log(`  Время ККТ / device time:     ${s.deviceDateTime}`);
}

function printDocument(d: FiscalDocument): void {
  console.log('Последний фискальный документ / Last fiscal document');
  console.log(`  Номер ФД / number:       ${d.number}`);
  console.log(`  ФП / fiscal sign:        ${d.fiscalSign}`);
  console.log(`  Дата и время / date:     ${d.dateTime}`);
  console.log(`  Тип / type:              ${d.type ?? '?'}${d.operation ? ` (${d.operation})` : ''}`);
  if (d.totalMinor !== undefined) console.log(`  Сумма / total:           ${minorText(d.totalMinor)}`);
}

function printPort(p: SerialPortInfo): void {
  const ids = p.vendorId ? `${p.vendorId}:${p.productId ?? '?'}` : '';
  console.log([p.path, ids, p.manufacturer ?? '', p.product ?? '', p.serialNumber ?? ''].join('\t').trimEnd());
}

function printFailure(e: AppError): number {
  console.error(`Ошибка / Error: ${e.message}`);
  console.error(`  код / code: ${e.code}${e.deviceCode === undefined ? '' : ` (0x${e.deviceCode.toString(16).toUpperCase()})`}`);
  if (e.detail) console.error(`  детали / detail: ${e.detail}`);
  if (e.code === 'serial.list_failed') return EXIT.system;
  return NO_ANSWER_CODES.has(e.code) ? EXIT.noAnswer : EXIT.device;
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { port: { type: 'string' }, baud: { type: 'string', default: '115200' }, password: { type: 'string', default: '30' }, protocol: { type: 'string', default: 'shtrih' }, help: { type: 'boolean' } },
    });
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || !command || positionals.length > 1) {
    console.error(USAGE);
    return EXIT.usage;
  }
  if (command === 'ports') {
    const ports = await listSerialPorts();
    if (ports.length === 0) console.log('Последовательные порты не найдены / no serial ports found');
    else console.log('порт / port\tVID:PID\tпроизводитель / manufacturer\tустройство / product\tсерийный номер / serial');
    for (const p of ports) printPort(p);
    return EXIT.ok;
  }
  if (!['status', 'x-report', 'last-document'].includes(command)) {
    console.error(`Неизвестная команда / unknown command: ${command}\n${USAGE}`);
    return EXIT.usage;
  }
  const baudRate = Number(values.baud);
  const password = Number(values.password);
  const protocol = values.protocol;
  if (!values.port || !Number.isInteger(baudRate) || baudRate <= 0 || !Number.isInteger(password) || password < 0 || !isProtocolChoice(protocol)) {
    console.error(`Нужен --port и целые --baud/--password / --port is required, --baud/--password must be integers, --protocol ${Object.keys(PROTOCOLS).join(' or ')}, or auto\n${USAGE}`);
    return EXIT.usage;
  }

  let driver: FiscalDevice | undefined;
  try {
    driver = await connectFiscalDevice(protocol, { port: { path: values.port, baudRate }, password }, (found) => {
      console.log(`Протокол определён / protocol detected: ${PROTOCOLS[found].label} (${found})`);
    });
    if (command === 'status') {
      printIdentity(driver.identity);
      printStatus(await driver.status());
      printTaxPlan(driver.taxPlan);
    }
    else if (command === 'last-document') printDocument(await driver.lastDocument());
    else {
      await driver.xReport();
      console.log('X-отчёт напечатан / X report printed');
    }
    return EXIT.ok;
  } finally {
    await driver?.close();
  }
}

process.exitCode = await main().catch((e: unknown) => {
  if (isAppError(e)) return printFailure(e);
  throw e;
});
