import { useState } from 'react';
import type { Currency, ErrorPayload, ManualLine, VatRate } from '../../../preload/contract';
import { ErrorBox } from '../components/ErrorBox';
import { LineField } from '../components/LineField';
import { useLocale } from '../i18n/LocaleProvider';
import { checkManualDraft, emptyManualDraft, manualAmount, SIGN_CHOICES, VAT_CHOICES, type ManualDraft } from '../refund/manualLines';
import { onEnter, useLineEntry } from '../refund/lineEntry';

export const NO_RECEIPT_KEYS = [{ key: 'Enter', label: 'noReceipt.keyNext' }, { key: 'Enter на пустом наименовании', label: 'entry.keyToPayment' }] as const;

const FIELDS = ['name', 'price', 'quantity', 'vat', 'sign'] as const;

/**
 * A customer without a receipt (issue 14 point 5): the cashier types each item, one field after another with
 * Enter (as on the REGOS paper-receipt entry screen), then how the money goes back and the reason. No back end
 * documents a catalogue read, so nothing is looked up; main prices the lines and asks for a manager's PIN.
 */
export function NoReceiptScreen({ currency, busy, error, onDone }: {
  currency: Currency;
  busy: boolean;
  error: ErrorPayload | undefined;
  onDone(lines: ManualLine[], payment: 'cash' | 'card', reason: string): void;
}) {
  const { t, money, quantity } = useLocale();
  const vatText = (v: VatRate) => (v === 'none' ? t('vat.none') : t('vat.rate', { rate: `${v.slice(3)} %` }));
  const [payment, setPayment] = useState<'cash' | 'card'>('cash');
  const [reason, setReason] = useState('');
  const { lines, draft, setDraft, problem, setProblem, focus, onFieldKey } = useLineEntry({
    prefix: 'noreceipt',
    fields: FIELDS,
    emptyDraft: () => emptyManualDraft(currency),
    check: (d: ManualDraft) => checkManualDraft(d, t),
    next: 'payment',
  });
  const total = lines.reduce((s, l) => s + manualAmount(l), 0);
  const onPaymentKey = onEnter(() => focus('reason'));
  const onReasonKey = onEnter(() => {
    if (reason.trim() === '') return setProblem(t('noReceipt.noReason'));
    setProblem(null);
    if (!busy && lines.length > 0) onDone(lines, payment, reason.trim());
  });

  const field = (id: 'name' | 'price' | 'quantity', label: string, props: { inputMode?: 'decimal'; primary?: boolean } = {}) => (
    <LineField id={`noreceipt-${id}`} label={label} value={draft[id]} onChange={(value) => setDraft({ ...draft, [id]: value })} onKeyDown={onFieldKey} {...props} />
  );

  return (
    <section className="screen entry-screen" aria-labelledby="noreceipt-title">
      <h1 id="noreceipt-title">{t('noReceipt.title')}</h1>
      <p className="instruction">{t('noReceipt.instruction')}</p>
      <p data-testid="noreceipt-total">{t('noReceipt.total', { total: money(total, currency) })}</p>
      {lines.length > 0 && (
        <ul className="recent-list" aria-label={t('entry.linesLabel')}>
          {lines.map((l, i) => (
            <li key={i}>
              <span>{l.name}</span><span>{quantity(l.quantityMilli, currency)}</span>
              <span className="num">{money(manualAmount(l), currency)}</span><span>{vatText(l.vat)} · {t(`sign.${l.paymentMethod}`)}</span>
            </li>
          ))}
        </ul>
      )}
      {field('name', t('entry.name'), { primary: true })}
      {field('price', t('noReceipt.price'), { inputMode: 'decimal' })}
      {field('quantity', t('entry.quantity'), { inputMode: 'decimal' })}
      <div className="field">
        <label htmlFor="noreceipt-vat">{t('entry.vat')}</label>
        <select id="noreceipt-vat" value={draft.vat} onChange={(e) => setDraft({ ...draft, vat: VAT_CHOICES[currency].find((v) => v === e.target.value) ?? draft.vat })} onKeyDown={onFieldKey}>
          {VAT_CHOICES[currency].map((v) => <option key={v} value={v}>{vatText(v)}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="noreceipt-sign">{t('noReceipt.sign')}</label>
        <select id="noreceipt-sign" value={draft.sign} onChange={(e) => setDraft({ ...draft, sign: SIGN_CHOICES.find((s) => s === e.target.value) ?? draft.sign })} onKeyDown={onFieldKey}>
          {SIGN_CHOICES.map((s) => <option key={s} value={s}>{t(`sign.${s}`)}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="noreceipt-payment">{t('noReceipt.payment')}</label>
        <select id="noreceipt-payment" value={payment} onChange={(e) => setPayment(e.target.value === 'card' ? 'card' : 'cash')} onKeyDown={onPaymentKey}>
          <option value="cash">{t('tender.cash')}</option>
          <option value="card">{t('entry.card')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="noreceipt-reason">{t('noReceipt.reason')}</label>
        <input id="noreceipt-reason" autoComplete="off" value={reason} onChange={(e) => setReason(e.target.value)} onKeyDown={onReasonKey} />
      </div>
      <p id="noreceipt-problem" className="field-problem" role="alert">{problem ?? ''}</p>
      {error && <ErrorBox error={error} />}
    </section>
  );
}
