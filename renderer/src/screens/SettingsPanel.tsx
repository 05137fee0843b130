import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { FiscalProtocolSetting, ShellSwitch, VatRate, type SettingsView, type VatGroups } from '../../../preload/contract';
import { useCall } from '../api/hooks';
import { ErrorBox } from '../components/ErrorBox';
import { vatLabel } from '../format/labels';
import { LanguageSettings } from './LanguageSettings';
import { useSettingsSections } from './settingsSections';
import { StoreSettings } from './StoreSettings';
import type { MessageKey } from '../i18n/catalogue';
import { useLocale } from '../i18n/LocaleProvider';
import { useApproval } from '../people/approval';
import { draftFromView, draftToInput, type SettingsDraft } from './settingsForm';

export const SETTINGS_KEYS = [{ key: 'Alt+1…9', label: 'keybar.section' }, { key: 'Ctrl+S', label: 'keybar.save' }, { key: 'Tab', label: 'settingsPanel.keyNextField' }] as const;

const SECRET_STORAGE_TEXT = {
  os: 'settingsPanel.secretsOs', 'plaintext-allowed': 'settingsPanel.secretsPlain', unavailable: 'settingsPanel.secretsNone',
} as const satisfies Record<SettingsView['secretStorage'], MessageKey>;

const BAUD_RATES = [2400, 4800, 9600, 19200, 38400, 57600, 115200];
const SWITCH_OPTIONS: readonly { value: ShellSwitch; label: MessageKey }[] = [
  { value: 'auto', label: 'settingsPanel.auto' },
  { value: 'on', label: 'settingsPanel.on' },
  { value: 'off', label: 'settingsPanel.off' },
];
const shellSwitch = (value: string): ShellSwitch => ShellSwitch.catch('auto').parse(value);
type Secrets = SettingsDraft['secrets'];

export function SettingsPanel({ onSaved }: { onSaved(): void }) {
  const get = useCall('settings.get');
  const ports = useCall('settings.ports');
  const save = useCall('settings.save');
  const { run: load } = get;
  const { run: loadPorts } = ports;
  const [draft, setDraft] = useState<SettingsDraft | null>(null);
  const { t } = useLocale();
  // Training mode and back-end addresses or keys: a manager's PIN once the till has a manager (issue 14).
  const approval = useApproval();
  const { formRef, sections, onKeyDown: onSectionKeys } = useSettingsSections();
  const [problems, setProblems] = useState<string[]>([]);

  useEffect(() => {
    void load({}).then((r) => r.ok && setDraft(draftFromView(r.value)));
    void loadPorts({});
  }, [load, loadPorts]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!draft || save.pending) return;
    const parsed = draftToInput(draft, t);
    if (!parsed.ok) return setProblems(parsed.problems);
    setProblems([]);
    void approval.run(t('approval.backendSettings'), (approvalId) => save.run({ ...parsed.input, ...(approvalId ? { approvalId } : {}) })).then((r) => {
      if (r.ok) {
        setDraft(draftFromView(r.value));
        onSaved();
      }
    });
  };

  const set = (patch: (v: SettingsView) => SettingsView) => setDraft((d) => (d ? { ...d, view: patch(d.view) } : d));
  const setSecret = (key: keyof Secrets, value: string) => setDraft((d) => (d ? { ...d, secrets: { ...d.secrets, [key]: value } } : d));

  if (!draft) {
    return (
      <section className="panel settings-panel" aria-labelledby="settings-title" tabIndex={-1} data-primary autoFocus>
        <h1 id="settings-title">{t('settingsPanel.title')}</h1>
        {get.error ? <ErrorBox error={get.error} /> : <p role="status">{t('settingsPanel.loading')}</p>}
      </section>
    );
  }
  const v = draft.view;
  const portList = ports.value ?? [];
  const portKnown = portList.some((p) => p.path === v.fiscal.port);

  return (
    <section className="panel settings-panel" aria-labelledby="settings-title" onKeyDown={onSectionKeys}>
      <h1 id="settings-title">{t('settingsPanel.title')}</h1>
      <nav className="settings-sections" aria-label={t('settings.sections')}>
        <ol>{sections.map((name, i) => <li key={name}><kbd>Alt+{i + 1}</kbd> {name}</li>)}</ol>
        <p className="hint">{t('settings.saveKeys')}</p>
      </nav>
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        <fieldset>
          <legend>{t('settingsPanel.mode')}</legend>
          <Check label={t('settingsPanel.training')} checked={v.trainingMode} primary
            onChange={(c) => set((s) => ({ ...s, trainingMode: c }))} />
          <Field label={t('settingsPanel.currency')}>
            <select value={v.currency} onChange={(e) => set((s) => ({ ...s, currency: e.target.value === 'UZS' ? 'UZS' : 'RUB' }))}>
              <option value="RUB">{t('settingsPanel.rub')}</option>
              <option value="UZS">{t('settingsPanel.uzs')}</option>
            </select>
          </Field>
          <Field label={t('settingsPanel.cashierName')}>
            <input value={v.cashierName} onChange={(e) => set((s) => ({ ...s, cashierName: e.target.value }))} />
          </Field>
        </fieldset>
        <LanguageSettings view={v} set={set} />
        <StoreSettings view={v} set={set} />

        <fieldset>
          <legend>{t('settingsPanel.printer')}</legend>
          <Field label={t('settingsPanel.protocol')}>
            <select value={v.fiscal.protocol} onChange={(e) => set((s) => ({ ...s, fiscal: { ...s.fiscal, protocol: FiscalProtocolSetting.parse(e.target.value) } }))}>
              {FiscalProtocolSetting.options.map((p) => <option key={p} value={p}>{t(`settingsPanel.protocol.${p}`)}</option>)}
            </select>
          </Field>
          <Field label={t('settingsPanel.port')}>
            <select value={v.fiscal.port} onChange={(e) => set((s) => ({ ...s, fiscal: { ...s.fiscal, port: e.target.value } }))}>
              {!portKnown && <option value={v.fiscal.port}>{v.fiscal.port || t('settingsPanel.portNone')}{v.fiscal.port ? t('settingsPanel.portMissing') : ''}</option>}
              {portList.map((p) => (
                <option key={p.path} value={p.path}>{p.path}{p.manufacturer ? ` — ${p.manufacturer}` : ''}{p.serialNumber ? ` (${p.serialNumber})` : ''}</option>
              ))}
            </select>
          </Field>
          {ports.error && <ErrorBox error={ports.error} />}
          <Field label={t('settingsPanel.baud')}>
            <select value={v.fiscal.baudRate} onChange={(e) => set((s) => ({ ...s, fiscal: { ...s.fiscal, baudRate: Number(e.target.value) } }))}>
              {BAUD_RATES.map((b) => <option key={b} value={b}>{b}</option>)}
            </select>
          </Field>
          <Secret label={t('settingsPanel.operatorPassword')} stored={v.fiscal.operatorPassword.stored} value={draft.secrets.operatorPassword} onChange={(x) => setSecret('operatorPassword', x)} />
          <fieldset className="vat-groups" aria-describedby="vat-groups-help">
            <legend>{t('settingsPanel.vatGroups')}</legend>
            <p id="vat-groups-help" className="hint">{t('settingsPanel.vatGroupsHelp')}</p>
            {VatRate.options.map((rate) => (
              <Field key={rate} label={vatLabel(t, rate)}>
                <select value={v.fiscal.vatGroups[rate] ?? ''} onChange={(e) => set((s) => ({ ...s, fiscal: { ...s.fiscal, vatGroups: withGroup(s.fiscal.vatGroups, rate, e.target.value) } }))}>
                  <option value="">{t('settingsPanel.vatFromTable')}</option>
                  {[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((g) => <option key={g} value={g}>{t('settingsPanel.group', { n: g })}</option>)}
                </select>
              </Field>
            ))}
          </fieldset>
        </fieldset>

        <fieldset>
          <legend>LIFE POS</legend>
          <Check label={t('settingsPanel.enabled')} checked={v.lifepos.enabled} onChange={(c) => set((s) => ({ ...s, lifepos: { ...s.lifepos, enabled: c } }))} />
          <Field label={t('settingsPanel.apiUrl')}><input type="url" value={v.lifepos.baseUrl} onChange={(e) => set((s) => ({ ...s, lifepos: { ...s.lifepos, baseUrl: e.target.value } }))} /></Field>
          <Field label={t('settingsPanel.orgGuid')}><input value={v.lifepos.orgGuid} onChange={(e) => set((s) => ({ ...s, lifepos: { ...s.lifepos, orgGuid: e.target.value } }))} /></Field>
          <Field label="Client ID"><input value={v.lifepos.clientId} onChange={(e) => set((s) => ({ ...s, lifepos: { ...s.lifepos, clientId: e.target.value } }))} /></Field>
          <Secret label={t('settingsPanel.token')} stored={v.lifepos.token.stored} value={draft.secrets.lifeposToken} onChange={(x) => setSecret('lifeposToken', x)} />
        </fieldset>

        <fieldset>
          <legend>LIFE PAY</legend>
          <Check label={t('settingsPanel.enabled')} checked={v.lifepay.enabled} onChange={(c) => set((s) => ({ ...s, lifepay: { ...s.lifepay, enabled: c } }))} />
          <Field label={t('settingsPanel.apiUrl')}><input type="url" value={v.lifepay.baseUrl} onChange={(e) => set((s) => ({ ...s, lifepay: { ...s.lifepay, baseUrl: e.target.value } }))} /></Field>
          <Field label={t('settingsPanel.login')}><input value={v.lifepay.login} onChange={(e) => set((s) => ({ ...s, lifepay: { ...s.lifepay, login: e.target.value } }))} /></Field>
          <Secret label={t('settingsPanel.apiKey')} stored={v.lifepay.apiKey.stored} value={draft.secrets.lifepayApiKey} onChange={(x) => setSecret('lifepayApiKey', x)} />
        </fieldset>

        <fieldset>
          <legend>REGOS</legend>
          <Check label={t('settingsPanel.enabled')} checked={v.regos.enabled} onChange={(c) => set((s) => ({ ...s, regos: { ...s.regos, enabled: c } }))} />
          <Field label={t('settingsPanel.address')}><input type="url" value={v.regos.url} onChange={(e) => set((s) => ({ ...s, regos: { ...s.regos, url: e.target.value } }))} /></Field>
          <Field label={t('settingsPanel.login')}><input value={v.regos.login} onChange={(e) => set((s) => ({ ...s, regos: { ...s.regos, login: e.target.value } }))} /></Field>
          <Secret label={t('settingsPanel.password')} stored={v.regos.password.stored} value={draft.secrets.regosPassword} onChange={(x) => setSecret('regosPassword', x)} />
          <Check label={t('settingsPanel.regosHttp')}
            checked={v.regos.allowPlainHttpOnStoreNetwork}
            onChange={(c) => set((s) => ({ ...s, regos: { ...s.regos, allowPlainHttpOnStoreNetwork: c } }))} />
          <Field label={t('settingsPanel.vatValue')}>
            <select aria-describedby="vat-mode-help" value={v.regos.vatValueMode}
              onChange={(e) => set((s) => ({ ...s, regos: { ...s.regos, vatValueMode: e.target.value === 'amountMinor' ? 'amountMinor' : 'ratePercentTimes100' } }))}>
              <option value="ratePercentTimes100">{t('settingsPanel.vatRate')}</option>
              <option value="amountMinor">{t('settingsPanel.vatAmount')}</option>
            </select>
          </Field>
          <p id="vat-mode-help" className="hint">{t('settingsPanel.vatValueHelp')}</p>
        </fieldset>

        <fieldset>
          <legend>{t('settingsPanel.sending')}</legend>
          <Field label={t('settingsPanel.retry')}>
            <input value={draft.retryText} onChange={(e) => setDraft({ ...draft, retryText: e.target.value })} />
          </Field>
          <p className="hint" data-testid="secret-storage">{t(SECRET_STORAGE_TEXT[v.secretStorage])}</p>
          {v.secretStorage !== 'os' && (
            <Check label={t('settingsPanel.allowPlain')} checked={draft.allowPlaintextSecrets}
              onChange={(c) => setDraft({ ...draft, allowPlaintextSecrets: c })} />
          )}
        </fieldset>

        <fieldset>
          <legend>{t('settings.marking')}</legend>
          <Check label={t('settings.markingCodesFromSale')} checked={v.markingCodesFromSale}
            onChange={(c) => set((s) => ({ ...s, markingCodesFromSale: c }))} />
        </fieldset>

        <fieldset>
          <legend>{t('settingsPanel.workplace')}</legend>
          <Field label={t('settingsPanel.kiosk')}>
            <select value={v.kiosk} onChange={(e) => set((s) => ({ ...s, kiosk: shellSwitch(e.target.value) }))}>
              {SWITCH_OPTIONS.map((o) => <option key={o.value} value={o.value}>{t(o.label)}</option>)}
            </select>
          </Field>
          <Field label={t('settingsPanel.autostart')}>
            <select value={v.autostart} onChange={(e) => set((s) => ({ ...s, autostart: shellSwitch(e.target.value) }))}>
              {SWITCH_OPTIONS.map((o) => <option key={o.value} value={o.value}>{t(o.label)}</option>)}
            </select>
          </Field>
          <Check label={t('settingsPanel.devTools')} checked={v.devTools}
            onChange={(c) => set((s) => ({ ...s, devTools: c }))} />
        </fieldset>

        {problems.length > 0 && (
          <ul className="form-problems" role="alert">{problems.map((p) => <li key={p}>{p}</li>)}</ul>
        )}
        {save.error && <ErrorBox error={save.error} />}
        <p role="status">{save.pending ? t('settingsPanel.saving') : save.value ? t('settingsPanel.saved') : ''}</p>
        <button type="submit">{t('settingsPanel.save')}</button>
      </form>
      {approval.dialog}
    </section>
  );
}

function withGroup(groups: VatGroups, rate: VatRate, value: string): VatGroups {
  const { [rate]: _old, ...rest } = groups;
  return value === '' ? rest : { ...rest, [rate]: Number(value) };
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return <label className="field"><span>{label}</span>{children}</label>;
}

function Check({ label, checked, onChange, primary }: { label: string; checked: boolean; onChange(c: boolean): void; primary?: boolean }) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} data-primary={primary ? true : undefined} autoFocus={primary} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

/** Write-only: a stored secret is never shown, only that it exists; typing replaces it on save. */
function Secret({ label, stored, value, onChange }: { label: string; stored: boolean; value: string; onChange(v: string): void }) {
  const { t } = useLocale();
  return (
    <label className="field">
      <span>{label} <em className={stored ? 'secret-stored' : 'secret-missing'}>{stored ? t('settingsPanel.stored') : t('settingsPanel.notSet')}</em></span>
      <input type="password" autoComplete="new-password" value={value}
        placeholder={stored ? t('settingsPanel.replace') : t('settingsPanel.notSet')} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}
