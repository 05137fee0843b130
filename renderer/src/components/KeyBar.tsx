import { hintText, keyName } from '../i18n/catalogue';
import { useLocale } from '../i18n/LocaleProvider';
import type { ShownKey } from '../keys/keyBar';

/**
 * What Enter and the other keys do here, then the function keys that act now (keys/keyBar.ts). A key
 * that cannot act is left out, or shown dimmed with its reason as the tooltip; a global key the screen
 * names itself (its own Esc) is shown once.
 */
export function KeyBar({ local, global }: { local: readonly ShownKey[]; global: readonly ShownKey[] }) {
  const { t } = useLocale();
  return (
    <footer className="key-bar" aria-label={t('app.keysRegion')}>
      <ul>
        {local.map((k) => (
          <KeyItem key={`l-${k.key}`} hint={k} local />
        ))}
        {global.filter((g) => !local.some((l) => l.key === g.key)).map((k) => (
          <KeyItem key={k.key} hint={k} />
        ))}
      </ul>
    </footer>
  );
}

function KeyItem({ hint, local }: { hint: ShownKey; local?: boolean }) {
  const { t } = useLocale();
  const cls = `${local ? 'key-local' : ''}${hint.disabled ? ' key-disabled' : ''}`.trim();
  return (
    <li className={cls || undefined} data-key={hint.key} aria-disabled={hint.disabled ? true : undefined} title={hint.disabled ?? hintText(t, hint.label)}>
      <kbd>{keyName(t, hint.key)}</kbd> {hintText(t, hint.label)}
      {hint.disabled && <span className="sr-only">{t('keys.unavailable', { why: hint.disabled })}</span>}
    </li>
  );
}
