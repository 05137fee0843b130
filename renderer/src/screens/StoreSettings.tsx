import type { SettingsView } from '../../../preload/contract';
import { useLocale } from '../i18n/LocaleProvider';

/** The store's own: who the cashier calls when a refund needs help (issue 19 point 4; shown on F4). */
export function StoreSettings({ view, set }: { view: SettingsView; set(patch: (v: SettingsView) => SettingsView): void }) {
  const { t } = useLocale();
  return (
    <fieldset data-testid="store-settings">
      <legend>{t('settings.supportGroup')}</legend>
      <label className="field">
        <span>{t('settings.supportContact')}</span>
        <input id="settings-support" value={view.supportContact} maxLength={200} onChange={(e) => set((s) => ({ ...s, supportContact: e.target.value }))} />
      </label>
    </fieldset>
  );
}
