import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { ErrorPayload, PeopleView as PeopleState, PersonRole } from '../../../preload/contract';
import { useCashier } from '../api/hooks';
import { ErrorBox } from '../components/ErrorBox';
import { useLocale } from '../i18n/LocaleProvider';
import { parseAmount } from './amount';
import { useApproval } from './approval';

const BY_NAME = '';

/**
 * Who works at the till (F3 → Кассир): sign in from the till's list (with a PIN when the person has one) or by
 * name and INN, sign out, keep the list and the approval rules. All of it by Tab, arrows and Enter.
 */
export function PeopleView({ onChanged }: { onChanged(): void }) {
  const client = useCashier();
  const { t, money } = useLocale();
  const approval = useApproval();
  const [state, setState] = useState<PeopleState>();
  const [error, setError] = useState<ErrorPayload>();
  const [result, setResult] = useState('');
  const [who, setWho] = useState(BY_NAME);
  const [pin, setPin] = useState('');
  const [name, setName] = useState('');
  const [inn, setInn] = useState('');
  const [newName, setNewName] = useState('');
  const [newInn, setNewInn] = useState('');
  const [newRole, setNewRole] = useState<PersonRole>('cashier');
  const [newPin, setNewPin] = useState('');
  const [limit, setLimit] = useState('');
  const [checkDrawer, setCheckDrawer] = useState(true);

  const show = useCallback((s: PeopleState) => {
    setState(s);
    setLimit(String(s.rules.approvalAboveMinor / 100).replace('.', ','));
    setCheckDrawer(s.rules.checkDrawerForCash);
  }, []);
  const load = useCallback(() => client.call('people.view', {}).then((r) => (r.ok ? show(r.value) : setError(r.error))), [client, show]);
  useEffect(() => {
    void load();
  }, [load]);

  const done = (text: string) => {
    setError(undefined);
    setResult(text);
    void load();
    onChanged();
  };
  const chosen = state?.people.find((p) => p.id === who);

  const signIn = async (e: FormEvent) => {
    e.preventDefault();
    const r = chosen ? await client.call('people.signIn', { personId: chosen.id, ...(pin ? { pin } : {}) })
      : await client.call('people.signIn', { name, ...(inn ? { inn } : {}) });
    setPin('');
    if (r.ok) done(t('people.signedIn', { name: r.value.name }));
    else setError(r.error);
  };
  const signOut = async () => {
    const r = await client.call('people.signOut', {});
    if (r.ok) done(t('people.signedOut'));
    else setError(r.error);
  };
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const r = await approval.run(newName, (approvalId) => client.call('people.add', {
      name: newName, role: newRole, ...(newInn ? { inn: newInn } : {}), ...(newPin ? { pin: newPin } : {}), ...(approvalId ? { approvalId } : {}),
    }));
    if (!r.ok) return setError(r.error);
    setNewName('');
    setNewInn('');
    setNewPin('');
    done(t('people.added'));
  };
  const saveRules = async (e: FormEvent) => {
    e.preventDefault();
    const approvalAboveMinor = parseAmount(limit);
    if (approvalAboveMinor === null) return setResult(t('people.badAmount'));
    const rules = { approvalAboveMinor, checkDrawerForCash: checkDrawer };
    const r = await approval.run(money(approvalAboveMinor, 'RUB'), (approvalId) => client.call('people.setRules', { rules, ...(approvalId ? { approvalId } : {}) }));
    if (r.ok) done(t('people.rulesSaved'));
    else setError(r.error);
  };

  return (
    <div className="people-view">
      <p data-testid="people-now">
        {state?.signedIn ? t('people.now', { name: `${state.signedIn.name}${state.signedIn.inn ? `, ИНН ${state.signedIn.inn}` : ''}` }) : t('people.nobody')}
      </p>
      <form onSubmit={(e) => void signIn(e)} aria-label={t('people.signIn')}>
        <label htmlFor="signin-who">{t('people.who')}</label>
        <select id="signin-who" data-primary autoFocus value={who} onChange={(e) => setWho(e.target.value)}>
          <option value={BY_NAME}>{t('people.byName')}</option>
          {state?.people.map((p) => <option key={p.id} value={p.id}>{p.name} · {p.role === 'manager' ? t('people.manager') : t('people.cashierRole')}</option>)}
        </select>
        {chosen ? (
          chosen.hasPin && (
            <>
              <label htmlFor="signin-pin">{t('people.pin')}</label>
              <input id="signin-pin" type="password" inputMode="numeric" autoComplete="off" maxLength={8} value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} />
            </>
          )
        ) : (
          <>
            <label htmlFor="signin-name">{t('people.name')}</label>
            <input id="signin-name" value={name} maxLength={64} onChange={(e) => setName(e.target.value)} />
            <label htmlFor="signin-inn">{t('people.inn')}</label>
            <input id="signin-inn" inputMode="numeric" maxLength={12} value={inn} onChange={(e) => setInn(e.target.value.replace(/\D/g, ''))} />
          </>
        )}
        <button type="submit" id="signin-submit">{t('people.signIn')}</button>
        {state?.signedIn && <button type="button" id="signout" onClick={() => void signOut()}>{t('people.signOut')}</button>}
      </form>

      <h2>{t('people.listTitle')}</h2>
      <form onSubmit={(e) => void add(e)} aria-label={t('people.add')}>
        <label htmlFor="person-name">{t('people.name')}</label>
        <input id="person-name" value={newName} maxLength={64} onChange={(e) => setNewName(e.target.value)} />
        <label htmlFor="person-inn">{t('people.inn')}</label>
        <input id="person-inn" inputMode="numeric" maxLength={12} value={newInn} onChange={(e) => setNewInn(e.target.value.replace(/\D/g, ''))} />
        <label htmlFor="person-role">{t('people.role')}</label>
        <select id="person-role" value={newRole} onChange={(e) => setNewRole(e.target.value === 'manager' ? 'manager' : 'cashier')}>
          <option value="cashier">{t('people.cashierRole')}</option>
          <option value="manager">{t('people.manager')}</option>
        </select>
        <label htmlFor="person-pin">{t('people.newPin')}</label>
        <input id="person-pin" type="password" inputMode="numeric" autoComplete="off" maxLength={8} value={newPin} onChange={(e) => setNewPin(e.target.value.replace(/\D/g, ''))} />
        <button type="submit" id="person-add">{t('people.add')}</button>
      </form>

      <h2>{t('people.rulesTitle')}</h2>
      <form onSubmit={(e) => void saveRules(e)} aria-label={t('people.rulesTitle')}>
        <label htmlFor="rules-limit">{t('people.limit')}</label>
        <input id="rules-limit" inputMode="decimal" maxLength={16} value={limit} onChange={(e) => setLimit(e.target.value)} />
        <label><input id="rules-drawer" type="checkbox" checked={checkDrawer} onChange={(e) => setCheckDrawer(e.target.checked)} /> {t('people.checkDrawer')}</label>
        <button type="submit" id="rules-save">{t('people.saveRules')}</button>
      </form>
      <p role="status" data-testid="people-result">{result}</p>
      {error && <ErrorBox error={error} />}
      {approval.dialog}
    </div>
  );
}
