import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import { RefundState, type ErrorPayload, type JournalDetail, type JournalEntry, type JournalFilter } from '../../../preload/contract';
import { useCashier } from '../api/hooks';
import { ErrorBox } from '../components/ErrorBox';
import { useLocale } from '../i18n/LocaleProvider';

export const JOURNAL_KEYS = [{ key: '↑↓', label: 'journal.keyEntry' }, { key: 'Enter', label: 'journal.keyOpen' }] as const;

/**
 * The refund journal (F10): this till's refunds and REGOS credit receipts of a day, filtered by number,
 * sale, state and cashier; Enter opens one (lines, tenders, fiscal data, sync, who made it), a copy of its
 * receipt prints as text (not a new fiscal document), and the day goes to a CSV file for the accountant.
 */
export function JournalPanel() {
  const client = useCashier();
  const { t, money, dateTime, today } = useLocale();
  const [filter, setFilter] = useState<JournalFilter>(() => ({ date: today() }));
  const [entries, setEntries] = useState<JournalEntry[]>([]);
  const [cursor, setCursor] = useState(0);
  const [open, setOpen] = useState<JournalDetail | null>(null);
  const [error, setError] = useState<ErrorPayload>();
  const [result, setResult] = useState('');

  useEffect(() => {
    const clean = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== '' && v !== undefined)) as JournalFilter;
    if (clean.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(clean.date)) return;
    void client.call('journal.list', clean).then((r) => {
      if (!r.ok) return setError(r.error);
      setError(undefined);
      setEntries(r.value);
      setCursor(0);
    });
  }, [client, filter]);

  const openEntry = useCallback(async (e: JournalEntry) => {
    const r = await client.call('journal.get', { kind: e.kind, id: e.id });
    if (r.ok) {
      setResult('');
      setOpen(r.value);
    } else setError(r.error);
  }, [client]);

  const exportDay = async () => {
    if (!filter.date) return;
    const r = await client.call('journal.exportDay', { date: filter.date });
    if (r.ok) setResult(t('journal.exported', { rows: r.value.rows, path: r.value.path }));
    else setError(r.error);
  };
  const printCopy = async (id: string) => {
    const r = await client.call('refunds.reprint', { id });
    if (r.ok) setResult(t('journal.copyPrinted'));
    else setError(r.error);
  };

  const onListKeys = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setCursor((c) => Math.max(0, Math.min(entries.length - 1, c + (e.key === 'ArrowDown' ? 1 : -1))));
    } else if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement)) {
      e.preventDefault();
      const entry = entries[cursor];
      if (entry) void openEntry(entry);
    }
  };
  const onDetailKeys = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    setOpen(null);
  };
  const field = (key: keyof JournalFilter) => ({
    value: String(filter[key] ?? ''),
    onChange: (e: { target: { value: string } }) => setFilter((f) => ({ ...f, [key]: e.target.value })),
  });

  if (open) {
    return (
      <section className="panel journal-panel" aria-labelledby="journal-title" onKeyDown={onDetailKeys}>
        <h1 id="journal-title">{t('journal.title')}</h1>
        <JournalDetailView detail={open} />
        {open.kind === 'refund' && open.refund.sale.source !== 'regos' && open.refund.fiscal && (
          <button type="button" id="journal-print" data-primary autoFocus onClick={() => void printCopy(open.refund.id)}>{t('journal.printCopy')}</button>
        )}
        <button type="button" id="journal-back" autoFocus={!(open.kind === 'refund' && open.refund.fiscal)} onClick={() => setOpen(null)}>{t('journal.back')}</button>
        <p role="status" data-testid="journal-result">{result}</p>
        {error && <ErrorBox error={error} />}
      </section>
    );
  }

  return (
    <section className="panel journal-panel" aria-labelledby="journal-title" onKeyDown={onListKeys}>
      <h1 id="journal-title">{t('journal.title')}</h1>
      <div className="journal-filters">
        <label htmlFor="journal-date">{t('journal.date')}</label>
        <input id="journal-date" type="date" data-primary autoFocus {...field('date')} />
        <label htmlFor="journal-number">{t('journal.number')}</label>
        <input id="journal-number" maxLength={64} {...field('number')} />
        <label htmlFor="journal-sale">{t('journal.sale')}</label>
        <input id="journal-sale" maxLength={64} {...field('sale')} />
        <label htmlFor="journal-state">{t('journal.state')}</label>
        <select id="journal-state" {...field('state')}>
          <option value="">{t('journal.anyState')}</option>
          {RefundState.options.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <label htmlFor="journal-cashier">{t('journal.cashier')}</label>
        <input id="journal-cashier" maxLength={64} {...field('cashier')} />
        <button type="button" id="journal-export" onClick={() => void exportDay()}>{t('journal.export')}</button>
      </div>
      <p className="hint">{t('journal.listKeys')}</p>
      {entries.length === 0 && <p>{t('journal.empty')}</p>}
      <ul className="journal-list" role="listbox" aria-label={t('journal.title')} aria-activedescendant={entries[cursor] ? `journal-${cursor}` : undefined}>
        {entries.map((e, i) => (
          <li key={`${e.kind}:${e.id}`} id={`journal-${i}`} role="option" aria-selected={i === cursor} className={i === cursor ? 'active' : ''} data-kind={e.kind} onClick={() => void openEntry(e)}>
            <span>{dateTime(e.createdAt)}</span>
            <span>{e.kind === 'refund' ? t('journal.refund') : t('journal.credit')}{e.withoutReceipt ? ` · ${t('journal.withoutReceipt')}` : ''}</span>
            <span>{e.documentNumber ? `№ ${e.documentNumber}` : ''}</span>
            <span>{t('journal.sale')} {e.saleNumber}</span>
            <span>{e.state}</span>
            <span>{e.cashierName ?? ''}</span>
            <span className="num">{money(e.totalMinor, e.currency)}</span>
          </li>
        ))}
      </ul>
      <p role="status" data-testid="journal-result">{result}</p>
      {error && <ErrorBox error={error} />}
    </section>
  );
}

function JournalDetailView({ detail }: { detail: JournalDetail }) {
  const { t, money, quantity, dateTime } = useLocale();
  if (detail.kind === 'credit') {
    const p = detail.payment;
    return (
      <div className="journal-detail" data-testid="journal-detail">
        <h2>{t('journal.credit')} · {t('journal.sale')} {p.saleNumber} · {money(p.amountMinor, 'UZS')}</h2>
        <pre className="receipt-copy" data-testid="journal-copy">{detail.copyLines.join('\n')}</pre>
      </div>
    );
  }
  const r = detail.refund;
  return (
    <div className="journal-detail" data-testid="journal-detail">
      <h2>{t('journal.refund')} · {t('journal.sale')} {r.saleNumber} · {money(r.totalMinor, r.currency)} · {r.state}</h2>
      {detail.cashierName && <p>{t('journal.madeBy', { name: detail.cashierName })}{detail.cashierInn ? `, ИНН ${detail.cashierInn}` : ''}</p>}
      {detail.withoutReceipt && <p>{t('journal.approvedBy', { name: detail.approvedBy ?? '', reason: detail.reason ?? '' })}</p>}
      <h3>{t('journal.lines')}</h3>
      <ul>{r.lines.map((l) => <li key={l.lineId}>{l.name} × {quantity(l.quantityMilli, r.currency)} = {money(l.amountMinor, r.currency)}</li>)}</ul>
      <h3>{t('journal.tenders')}</h3>
      <ul>{r.tenders.map((x) => <li key={x.paymentPartId}>{t(`tender.${x.kind}`)} {money(x.amountMinor, r.currency)}{x.rrn ? ` · RRN ${x.rrn}` : ''}</li>)}</ul>
      <h3>{t('journal.fiscal')}</h3>
      <ul>{(r.receipts ?? []).map((f) => <li key={`${f.number}:${f.fiscalSign}`}>ФД № {f.receiptNo ?? f.number} · ФП {f.fiscalSign} · {dateTime(f.dateTime)}</li>)}</ul>
      <h3>{t('journal.sync')}</h3>
      {detail.sync.length === 0 ? <p>{t('journal.noSync')}</p> : (
        <ul>{detail.sync.map((j) => <li key={j.kind}>{j.kind}: {j.state}{j.lastError ? ` · ${j.lastError}` : ''}</li>)}</ul>
      )}
      <h3>{t('journal.copy')}</h3>
      <pre className="receipt-copy" data-testid="journal-copy">{detail.copyLines.join('\n')}</pre>
    </div>
  );
}
