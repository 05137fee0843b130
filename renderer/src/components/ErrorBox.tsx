import type { ErrorPayload } from '../../../preload/contract';
import { useLocale } from '../i18n/LocaleProvider';

/**
 * The cashier reads the message (in Uzbek from the error's code, i18n/errorTexts.ts); the store's IT person
 * reads the small code line, which in Uzbek also carries the main process's Russian original.
 */
export function ErrorBox({ error, hint }: { error: ErrorPayload; hint?: string }) {
  const { t, error: errorText } = useLocale();
  const { message, original } = errorText(error);
  return (
    <div className="error-box" role="alert">
      <p className="error-message">{message}</p>
      {hint && <p className="error-hint">{hint}</p>}
      <p className="error-code">
        {t('error.itCode', { code: error.code })}
        {error.deviceCode !== undefined ? t('error.deviceCode', { code: error.deviceCode, hex: error.deviceCode.toString(16).padStart(2, '0') }) : ''}
        {original ? ` · ${original}` : ''}
        {error.detail ? ` · ${error.detail}` : ''}
      </p>
    </div>
  );
}
