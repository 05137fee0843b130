import { useEffect, useState, type FormEvent } from 'react';
import type { ErrorPayload, RefundTotals } from '../../../preload/contract';
import { useCashier } from '../api/hooks';
import { ErrorBox } from '../components/ErrorBox';
import { useLocale } from '../i18n/LocaleProvider';
import { parseAmount } from './amount';

/** Внесение or выплата (F3): type the amount, Enter; the register prints its document and counts the drawer. */
export function CashOperationView({ kind }: { kind: 'in' | 'out' }) {
  const client = useCashier();
  const { t, money } = useLocale();
  const [amount, setAmount] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState('');
  const [error, setError] = useState<ErrorPayload>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const amountMinor = parseAmount(amount);
    if (amountMinor === null || amountMinor === 0 || busy) return setResult(t('people.badAmount'));
    setBusy(true);
    setError(undefined);
    setResult('');
    const r = await client.call('cash.operation', { kind, amountMinor });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setAmount('');
    setResult(t('cash.done', { number: r.value.documentNumber, inDrawer: money(r.value.inDrawerMinor, 'RUB') }));
  };

  return (
    <form className="cash-view" onSubmit={(e) => void submit(e)} aria-label={t(kind === 'in' ? 'cash.inTitle' : 'cash.outTitle')}>
      <h2>{t(kind === 'in' ? 'cash.inTitle' : 'cash.outTitle')}</h2>
      <label htmlFor="cash-amount">{t('cash.amount')}</label>
      <input id="cash-amount" data-primary autoFocus inputMode="decimal" maxLength={16} value={amount} onChange={(e) => setAmount(e.target.value)} />
      <button type="submit" disabled={busy}>{t('cash.do')}</button>
      <p role="status" data-testid="cash-result">{busy ? t('common.wait') : result}</p>
      {error && <ErrorBox error={error} />}
    </form>
  );
}

/** A day's refunds by how the money went back, and the drawer's cash as the register counts it (beside the X/Z report). */
export function RefundTotalsView({ refreshKey }: { refreshKey: number }) {
  const client = useCashier();
  const { t, money, date } = useLocale();
  const [totals, setTotals] = useState<RefundTotals>();
  const [error, setError] = useState<ErrorPayload>();
  useEffect(() => {
    void client.call('cash.refundTotals', {}).then((r) => (r.ok ? setTotals(r.value) : setError(r.error)));
  }, [client, refreshKey]);
  if (error) return <ErrorBox error={error} />;
  if (!totals) return <p role="status">{t('common.loading')}</p>;
  return (
    <div className="refund-totals" data-testid="refund-totals">
      <h2>{t('cash.totalsTitle', { date: date(`${totals.date}T12:00:00`) })}</h2>
      {totals.refunds === 0 ? <p>{t('cash.totalsNone')}</p> : (
        <table>
          <tbody>
            {totals.byTender.map((b) => (
              <tr key={b.kind} data-tender={b.kind}><td>{t(`tender.${b.kind}`)}</td><td>{b.count}</td><td className="num">{money(b.amountMinor, totals.currency)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      <p>{t('cash.totalsAll', { count: totals.refunds, total: money(totals.totalMinor, totals.currency) })}</p>
      {totals.inDrawerMinor !== undefined && <p data-testid="in-drawer">{t('cash.inDrawer', { amount: money(totals.inDrawerMinor, totals.currency) })}</p>}
    </div>
  );
}
