import { useCallback, useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { ApprovalAction, type CallResult, type CallName, type ErrorPayload, type Person } from '../../../preload/contract';
import { useCashier } from '../api/hooks';
import { ErrorBox } from '../components/ErrorBox';
import { useLocale } from '../i18n/LocaleProvider';

/** The action main names in an APPROVAL_REQUIRED answer (main/people/peopleService.ts `approvalRequired`). */
export function approvalActionOf(error: ErrorPayload | undefined): ApprovalAction | null {
  if (error?.code !== 'APPROVAL_REQUIRED') return null;
  const parsed = ApprovalAction.safeParse(error.detail?.replace(/^approval:/, ''));
  return parsed.success ? parsed.data : null;
}

interface Asking {
  action: ApprovalAction;
  detail: string;
  resolve(approvalId: string | null): void;
}

/**
 * A manager's PIN for one action, asked where the cashier is: a modal with the managers of the till and a
 * PIN field. Enter approves, Esc cancels; a wrong PIN and the one-minute lock are main's answers, shown here.
 */
function ApprovalDialog({ asking, onDone }: { asking: Asking; onDone(approvalId: string | null): void }) {
  const client = useCashier();
  const { t } = useLocale();
  const [managers, setManagers] = useState<Person[] | null>(null);
  const [managerId, setManagerId] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<ErrorPayload>();
  const [busy, setBusy] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void client.call('people.view', {}).then((r) => {
      if (!r.ok) return setError(r.error);
      const list = r.value.people.filter((p) => p.role === 'manager');
      setManagers(list);
      setManagerId(list[0]?.id ?? '');
    });
  }, [client]);
  useEffect(() => pinRef.current?.focus(), [managers]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || !managerId) return;
    setBusy(true);
    const r = await client.call('people.approve', { managerId, pin, action: asking.action, detail: asking.detail });
    setBusy(false);
    setPin('');
    if (r.ok) onDone(r.value.approvalId);
    else setError(r.error);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    onDone(null);
  };

  return (
    <div className="approval-layer" role="dialog" aria-modal="true" aria-labelledby="approval-title" onKeyDown={onKeyDown}>
      <form className="panel approval-dialog" onSubmit={(e) => void submit(e)}>
        <h1 id="approval-title">{t('approval.title')}</h1>
        <p data-testid="approval-what">{t('approval.what', { what: t(`approval.${asking.action}`) })}</p>
        {managers?.length === 0 && <p role="alert">{t('approval.noManager')}</p>}
        {managers && managers.length > 0 && (
          <>
            <label htmlFor="approval-manager">{t('approval.manager')}</label>
            <select id="approval-manager" value={managerId} onChange={(e) => setManagerId(e.target.value)}>
              {managers.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
            </select>
            <label htmlFor="approval-pin">{t('approval.pin')}</label>
            <input id="approval-pin" ref={pinRef} type="password" inputMode="numeric" autoComplete="off" maxLength={8} value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} />
            <button type="submit" disabled={busy}>{t('approval.ok')}</button>
          </>
        )}
        <p className="hint">{t('approval.keys')}</p>
        {error && <ErrorBox error={error} />}
      </form>
    </div>
  );
}

/**
 * `run(call)`: makes the call; when main answers that a manager must approve, asks for the PIN and makes
 * the same call once more with the grant. Cancelled, it answers the refusal as it came.
 */
export function useApproval() {
  const [asking, setAsking] = useState<Asking | null>(null);
  const askFor = useCallback((action: ApprovalAction, detail: string) => new Promise<string | null>((resolve) => setAsking({ action, detail, resolve })), []);
  const run = useCallback(async <K extends CallName>(detail: string, call: (approvalId?: string) => Promise<CallResult<K>>): Promise<CallResult<K>> => {
    const first = await call();
    const action = first.ok ? null : approvalActionOf(first.error);
    if (!action) return first;
    const approvalId = await askFor(action, detail);
    return approvalId ? call(approvalId) : first;
  }, [askFor]);
  const dialog = asking ? <ApprovalDialog asking={asking} onDone={(id) => { asking.resolve(id); setAsking(null); }} /> : null;
  return { run, dialog, askFor };
}
