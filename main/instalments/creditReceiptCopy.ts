import { formatSum } from '../backends/regos/regosUnits';
import type { InstalmentPayment } from '../../preload/contract';

/**
 * The text of a credit receipt's copy, from what this till recorded and VCR answered (its id). Not a
 * fiscal document, and it says so in its first line: the credit receipt is VCR's, printed once by VCR
 * (seed 003: "не регистрируется в фискальном модуле"), and no documented VCR call prints it again. The
 * instalment sale's QR link is the fiscal receipt the customer can check at ofd.soliq.uz.
 */
export function creditCopyLines(p: InstalmentPayment, saleQrCodeUrl: string | undefined): string[] {
  const tender = (t: InstalmentPayment['tenders'][number]) => (t.kind === 'cash' ? 'Наличные'
    : t.kind === 'terminal' ? `Терминал (RRN ${t.rrn})` : t.system);
  return [
    'КОПИЯ — НЕ ФИСКАЛЬНЫЙ ДОКУМЕНТ',
    'Кредитный чек REGOS (оплата части рассрочки)',
    `Чек VCR: ${p.vcrId ?? '—'}`,
    `Код чека: ${p.id}`,
    `Дата: ${p.createdAt.replace('T', ' ').slice(0, 16)}`,
    `Продажа в рассрочку: ${p.saleNumber}`,
    ...(saleQrCodeUrl ? ['Чек продажи:', saleQrCodeUrl] : []),
    ...p.tenders.map((t) => `${tender(t)}: ${formatSum(t.amountMinor)} сум`),
    `Принято: ${formatSum(p.amountMinor)} сум`,
    `Всего принято по продаже на этой кассе: ${formatSum(p.creditedToDateMinor)} сум`,
    ...(p.phone ? [`Телефон: ${p.phone}`] : []),
    'КОПИЯ',
  ];
}
