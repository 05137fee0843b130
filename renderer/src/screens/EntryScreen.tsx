import { useState } from 'react';
import type { EnteredLine, ErrorPayload, Sale } from '../../../preload/contract';
import { ErrorBox } from '../components/ErrorBox';
import { LineField } from '../components/LineField';
import { useLocale } from '../i18n/LocaleProvider';
import { checkDraft, emptyDraft, type DraftLine } from '../refund/enteredLines';
import { onEnter, useLineEntry } from '../refund/lineEntry';

export const ENTRY_KEYS = [{ key: 'Enter', label: 'entry.keyNext' }, { key: 'Enter на пустом наименовании', label: 'entry.keyToPayment' }] as const;

/** Uzbekistan's rates a REGOS receipt can carry, in the order offered. */
const VAT_RATES: Record<EnteredLine['vat'], string | null> = { vat12: '12 %', vat15: '15 %', vat0: '0 %', none: null };
const FIELDS = ['name', 'icps', 'quantity', 'sum', 'vat'] as const;

/**
 * A REGOS sale found in VCR, which keeps no lines (main/backends/README.md): the cashier types the lines
 * to refund from the paper receipt, one field after another with Enter, and how the receipt was paid.
 * Nothing is guessed; the lines together may not exceed the receipt's total (checked here and in main).
 */
export function EntryScreen({ sale, busy, error, onDone }: {
  sale: Sale;
  busy: boolean;
  error: ErrorPayload | undefined;
  onDone(lines: EnteredLine[], payment: 'cash' | 'card'): void;
}) {
  const { t, money, quantity } = useLocale();
  const vatText = (v: EnteredLine['vat']) => { const rate = VAT_RATES[v]; return rate ? t('vat.rate', { rate }) : t('vat.none'); };
  const [payment, setPayment] = useState<'cash' | 'card'>('cash');
  const { lines, draft, setDraft, problem, onFieldKey } = useLineEntry({
    prefix: 'entry',
    fields: FIELDS,
    emptyDraft: () => emptyDraft,
    check: (d: DraftLine) => checkDraft(d, t),
    refuse: (line: EnteredLine, typed) => {
      const together = typed.reduce((s, l) => s + l.amountMinor, 0) + line.amountMinor;
      return together > sale.totalMinor ? t('entry.overTotal', { together: money(together, sale.currency), total: money(sale.totalMinor, sale.currency) }) : null;
    },
    next: 'payment',
  });
  const entered = lines.reduce((s, l) => s + l.amountMinor, 0);
  const onPaymentKey = onEnter(() => {
    if (!busy && lines.length > 0) onDone(lines, payment);
  });

  const field = (id: Exclude<(typeof FIELDS)[number], 'vat'>, label: string, props: { inputMode?: 'numeric' | 'decimal'; primary?: boolean } = {}) => (
    <LineField
      id={`entry-${id}`}
      label={label}
      value={draft[id]}
      onChange={(value) => setDraft({ ...draft, [id]: id === 'icps' ? value.replace(/\D/g, '') : value })}
      onKeyDown={onFieldKey}
      {...props}
    />
  );

  return (
    <section className="screen entry-screen" aria-labelledby="entry-title">
      <h1 id="entry-title">{t('entry.title', { number: sale.number })}</h1>
      <p className="instruction">{t('entry.instruction')}</p>
      <p data-testid="entry-totals">{t('entry.totals', { total: money(sale.totalMinor, sale.currency), entered: money(entered, sale.currency) })}</p>
      {lines.length > 0 && (
        <ul className="recent-list" aria-label={t('entry.linesLabel')}>
          {lines.map((l, i) => (
            <li key={i}>
              <span>{l.name}</span><span>{quantity(l.quantityMilli, sale.currency)}</span>
              <span className="num">{money(l.amountMinor, sale.currency)}</span><span>{vatText(l.vat)} · {t('entry.icps')} {l.icps}</span>
            </li>
          ))}
        </ul>
      )}
      {field('name', t('entry.name'), { primary: true })}
      {field('icps', t('entry.icpsField'), { inputMode: 'numeric' })}
      {field('quantity', t('entry.quantity'), { inputMode: 'decimal' })}
      {field('sum', t('entry.sum'), { inputMode: 'decimal' })}
      <div className="field">
        <label htmlFor="entry-vat">{t('entry.vat')}</label>
        <select id="entry-vat" value={draft.vat} onChange={(e) => setDraft({ ...draft, vat: e.target.value as EnteredLine['vat'] })} onKeyDown={onFieldKey}>
          {(Object.keys(VAT_RATES) as EnteredLine['vat'][]).map((v) => <option key={v} value={v}>{vatText(v)}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="entry-payment">{t('entry.payment')}</label>
        <select id="entry-payment" value={payment} onChange={(e) => setPayment(e.target.value === 'card' ? 'card' : 'cash')} onKeyDown={onPaymentKey}>
          <option value="cash">{t('tender.cash')}</option>
          <option value="card">{t('entry.card')}</option>
        </select>
      </div>
      <p id="entry-problem" className="field-problem" role="alert">{problem ?? ''}</p>
      {error && <ErrorBox error={error} />}
    </section>
  );
}
