import { hintText, keyName } from '../i18n/catalogue';
import { useLocale } from '../i18n/LocaleProvider';
import { FUNCTION_KEYS } from '../keys/keymap';
import { SALE_KEYS } from './SaleScreen';

export function HelpPanel() {
  const { t } = useLocale();
  return (
    <section className="panel help-panel" aria-labelledby="help-title" tabIndex={0} data-primary autoFocus>
      <h1 id="help-title">{t('help.title')}</h1>
      <h2>{t('help.anyScreen')}</h2>
      <dl className="key-list">
        {FUNCTION_KEYS.map((k) => <div key={k.key}><dt><kbd>{k.key}</kbd></dt><dd>{hintText(t, k.label)}</dd></div>)}
        <div><dt><kbd>Enter</kbd></dt><dd>{t('help.confirm')}</dd></div>
        <div><dt><kbd>Insert</kbd></dt><dd>{t('help.withoutReceipt')}</dd></div>
      </dl>
      <h2>{t('help.saleLines')}</h2>
      <dl className="key-list">
        {SALE_KEYS.map((k) => <div key={k.key}><dt><kbd>{keyName(t, k.key)}</kbd></dt><dd>{hintText(t, k.label)}</dd></div>)}
        <div><dt><kbd>Backspace</kbd></dt><dd>{t('help.erase')}</dd></div>
      </dl>
      <h2>{t('help.howTo')}</h2>
      <ol>
        <li>{t('help.step1')}</li>
        <li>{t('help.step2')}</li>
        <li>{t('help.step3')}</li>
        <li>{t('help.step4')}</li>
      </ol>
      <p className="hint">{t('help.close')}</p>
    </section>
  );
}
