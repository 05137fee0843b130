import { useState } from 'react';
import type { AppStatus } from '../../../preload/contract';
import { useLocale } from '../i18n/LocaleProvider';
import { mainText } from '../i18n/mainTexts';

/**
 * After the app came back from a crash: said once. The status carries the notice for the whole run, so
 * the cashier's "Понятно" is remembered for this window (a reload does not bring it back).
 */
const SEEN_KEY = 'cashier.restartNoticeSeen';

export function RestartNotice({ notice }: { notice: AppStatus['restartNotice'] }) {
  const { t, language } = useLocale();
  const [seen, setSeen] = useState(() => sessionStorage.getItem(SEEN_KEY));
  if (!notice || seen === notice.at) return null;
  const dismiss = () => {
    sessionStorage.setItem(SEEN_KEY, notice.at);
    setSeen(notice.at);
  };
  return (
    <div className="restart-notice" role="alert" data-testid="restart-notice">
      <span>{mainText(notice.message, language)}</span>
      <button type="button" onClick={dismiss}>{t('common.understood')}</button>
    </div>
  );
}
