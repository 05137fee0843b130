import type { AppStatus, Sale, UiLanguage } from '../../../preload/contract';
import { translator, type Translate } from '../i18n/catalogue';
import { mainText } from '../i18n/mainTexts';

/**
 * Whether a refund may start now, decided from the sale and the live status. REGOS refunds are never
 * queued (the register must answer now), and a shift over 24 hours must be closed before any receipt.
 * Null means "go ahead"; otherwise the reason to show instead of the Enter key, in the UI's language. A
 * REGOS-only till (issue 15) has no printer shift, and refunds nothing but REGOS sales, through VCR online.
 */
export function refundBlockReason(sale: Sale, status: AppStatus | undefined, t: Translate = translator('ru')): string | null {
  if (sale.lines.every((l) => l.refundableMilli === 0)) return t('gate.allRefunded');
  if (sale.recovered?.receipts.some((r) => r.undecided)) return t('gate.recoveredUndecided');
  if (!status) return null;
  const regosOnly = status.till === 'regosOnly';
  if (regosOnly && sale.ref.source !== 'regos') return t('gate.notRegos');
  if (!regosOnly && status.shift.state === 'expired') return t('gate.shiftExpired');
  if (sale.ref.source === 'regos' && status.backends.regos !== 'online') return t('gate.regosOffline');
  return null;
}

/** What the cashier should know before picking lines, though nothing stops the refund. */
export function saleNotices(sale: Sale, status: AppStatus | undefined, language: UiLanguage = 'ru', t: Translate = translator(language)): string[] {
  // What the ФН says was refunded of this sale after a lost database: main's notice, said in the UI's language.
  const notices: string[] = (sale.recovered?.notices ?? []).map((n) => mainText(n.text, language, n.coded));
  if (sale.remainderFromLocalOnly) notices.push(t('gate.localRemainder'));
  if (status && (sale.ref.source === 'lifepos' || sale.ref.source === 'local') && status.backends.lifepos !== 'online' && status.backends.lifepos !== 'unknown') {
    notices.push(t('gate.lifeposLater'));
  }
  return notices;
}
