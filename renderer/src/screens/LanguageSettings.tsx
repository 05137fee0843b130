import { TillKind, UiLanguage, type SettingsView } from '../../../preload/contract';
import { useLocale } from '../i18n/LocaleProvider';

/** Every zone the engine knows, the system's own first (an empty setting). */
const ZONES: readonly string[] = Intl.supportedValuesOf('timeZone');
const SYSTEM_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * Issue 15's settings: the cashier's language, the till's time zone (for "today", sale and receipt times),
 * and whether this is a REGOS-only till. Each applies as soon as the settings are saved.
 */
export function LanguageSettings({ view, set }: { view: SettingsView; set(patch: (v: SettingsView) => SettingsView): void }) {
  const { t } = useLocale();
  return (
    <fieldset data-testid="language-settings">
      <legend>{t('settings.languageGroup')}</legend>
      <label className="field">
        <span>{t('settings.language')}</span>
        <select id="settings-language" value={view.language} onChange={(e) => set((s) => ({ ...s, language: UiLanguage.catch('ru').parse(e.target.value) }))}>
          <option value="ru">Русский</option>
          <option value="uz">Oʻzbekcha (lotin)</option>
        </select>
      </label>
      <label className="field">
        <span>{t('settings.timeZone')}</span>
        <select id="settings-time-zone" value={view.timeZone} onChange={(e) => set((s) => ({ ...s, timeZone: e.target.value }))}>
          <option value="">{t('settings.timeZoneSystem', { zone: SYSTEM_ZONE })}</option>
          {!ZONES.includes(view.timeZone) && view.timeZone !== '' && <option value={view.timeZone}>{view.timeZone}</option>}
          {ZONES.map((z) => <option key={z} value={z}>{z}</option>)}
        </select>
      </label>
      <label className="field">
        <span>{t('settings.till')}</span>
        <select id="settings-till" value={view.till} onChange={(e) => set((s) => ({ ...s, till: TillKind.catch('fiscalPrinter').parse(e.target.value) }))}>
          <option value="fiscalPrinter">{t('settings.tillFiscalPrinter')}</option>
          <option value="regosOnly">{t('settings.tillRegosOnly')}</option>
        </select>
      </label>
    </fieldset>
  );
}
