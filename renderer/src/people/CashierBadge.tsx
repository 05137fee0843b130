import type { AppStatus } from '../../../preload/contract';
import { useLocale } from '../i18n/LocaleProvider';

/** Who prints now (tags 1021/1203), in the header: the signed-in cashier, or the settings' name marked as not signed in. */
export function CashierBadge({ cashier }: { cashier: AppStatus['cashier'] }) {
  const { t } = useLocale();
  if (!cashier) return null;
  return (
    <span className={`cashier${cashier.signedIn ? '' : ' not-signed-in'}`} data-testid="header-cashier">
      {t('header.cashier', { name: cashier.name })}{cashier.signedIn ? '' : t('header.notSignedIn')}
    </span>
  );
}
