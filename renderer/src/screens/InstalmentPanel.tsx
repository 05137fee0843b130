import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { CreditReceiptCopy, ErrorPayload, InstalmentPayment, InstalmentSale, InstalmentTender } from '../../../preload/contract';
import { useCall, useCashier } from '../api/hooks';
import { ErrorBox } from '../components/ErrorBox';
import { emptyTenderForm, payInput, type TenderForm } from '../instalments/tenderForm';
import type { Translate } from '../i18n/catalogue';
import { mainText } from '../i18n/mainTexts';
import { useLocale, type Locale } from '../i18n/LocaleProvider';
import type { ShownKey } from '../keys/keyBar';

export const INSTALMENT_KEYS: readonly ShownKey[] = [{ key: 'Enter', label: 'instalment.keyNext' }];

const POLL_MS = 2000;
/** Instalments are REGOS's: sums, in the UI's language. */
const sumOf = (locale: Locale) => (minor: number) => locale.money(minor, 'UZS');

type Step =
  | { name: 'find' }
  | { name: 'form'; found: InstalmentSale; form: TenderForm; problem?: string }
  | { name: 'confirm'; found: InstalmentSale; form: TenderForm; input: Extract<ReturnType<typeof payInput>, { input: unknown }>['input'] }
  | { name: 'result'; payment: InstalmentPayment; retry?: Step };

const tenderText = (t: Translate, sum: (minor: number) => string) => (p: InstalmentTender) => (p.kind === 'cash' ? t('instalment.tenderCash', { sum: sum(p.amountMinor) })
  : p.kind === 'terminal' ? t('instalment.tenderTerminal', { sum: sum(p.amountMinor), rrn: p.rrn, corporate: p.cardType === 'corporate' })
  : `${p.system} ${sum(p.amountMinor)}`);

/**
 * Instalment part-payments (REGOS credit receipts, seed 003): find the instalment sale by its receipt
 * code or QR, see what was sold and what this till took so far, enter the part and its tenders, confirm,
 * and see what VCR registered. Keyboard only; Esc goes one step back, and from the search closes.
 */
export function InstalmentPanel({ onKeys }: { onKeys?(panel: 'instalments', keys: readonly ShownKey[]): void }) {
  const locale = useLocale();
  const { t, dateTime } = locale;
  const sum = sumOf(locale);
  const tender = tenderText(t, sum);
  const client = useCashier();
  const list = useCall('instalments.list');
  const { run: loadList } = list;
  const [step, setStep] = useState<Step>({ name: 'find' });
  const [query, setQuery] = useState('');
  const [cursor, setCursor] = useState(-1);
  const [askedEmpty, setAskedEmpty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload>();
  const [copy, setCopy] = useState<{ id: string; copy: CreditReceiptCopy }>();
  const section = useRef<HTMLElement>(null);

  // Steps without a field (confirm, result) keep the keyboard on the panel itself.
  useEffect(() => {
    const el = section.current;
    if (el && !el.contains(document.activeElement)) el.focus();
  }, [step.name, busy]);

  useEffect(() => {
    if (step.name === 'find') void loadList({ limit: 50 });
  }, [step.name, loadList]);

  const find = async (q: string) => {
    setBusy(true);
    setError(undefined);
    const r = await client.call('instalments.find', { query: q });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setStep({ name: 'form', found: r.value, form: { ...emptyTenderForm, phone: r.value.phone ?? '' } });
  };

  const confirm = async (s: Extract<Step, { name: 'confirm' }>) => {
    setBusy(true);
    setError(undefined);
    const r = await client.call('instalments.pay', s.input);
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setStep({ name: 'result', payment: r.value, retry: s });
  };

  // A credit receipt whose answer VCR owes is asked about by the services; the screen follows it.
  const pendingId = step.name === 'result' && step.payment.state === 'sending' ? step.payment.id : null;
  const refresh = useCallback(async (id: string) => {
    const r = await client.call('instalments.get', { id });
    if (r.ok) setStep((s) => (s.name === 'result' && s.payment.id === id ? { ...s, payment: r.value } : s));
  }, [client]);
  useEffect(() => {
    if (!pendingId) return;
    const timer = setInterval(() => void refresh(pendingId), POLL_MS);
    return () => clearInterval(timer);
  }, [pendingId, refresh]);

  // F8 on a registered credit receipt: a text copy on the printer, or on screen on a till without one.
  const reprint = async (id: string) => {
    setBusy(true);
    setError(undefined);
    const r = await client.call('instalments.reprint', { id });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setCopy({ id, copy: r.value });
  };

  const toFind = () => {
    setQuery('');
    setCursor(-1);
    setStep({ name: 'find' });
  };

  const rows = list.value ?? [];
  // Arrows only with a list to move in, Tab only among the tender form's fields: a key shown always acts (issue 19).
  const listed = step.name === 'find' && rows.length > 0;
  useEffect(() => onKeys?.('instalments', [
    { key: 'Enter', label: 'instalment.keyNext' },
    ...(step.name === 'form' ? [{ key: 'Tab', label: 'instalment.keyField' }] : []),
    ...(listed ? [{ key: '↑↓', label: 'instalment.keyList' }] : []),
  ]), [onKeys, step.name, listed]);
  const onKeyDown = (e: KeyboardEvent) => {
    if (busy) return;
    if (e.key === 'Escape') {
      if (step.name === 'find') return;
      e.preventDefault();
      setError(undefined);
      if (step.name === 'confirm') return setStep({ name: 'form', found: step.found, form: step.form });
      toFind();
      return;
    }
    if (step.name === 'find' && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      setCursor((c) => Math.max(-1, Math.min(rows.length - 1, c + (e.key === 'ArrowDown' ? 1 : -1))));
      setAskedEmpty(false);
      return;
    }
    if (e.key === 'F8' && step.name === 'result' && step.payment.state === 'registered') {
      // Prevented here, so the window's F8 (a refund's copy) does not act too.
      e.preventDefault();
      void reprint(step.payment.id);
      return;
    }
    if (e.key !== 'Enter' || e.target instanceof HTMLSelectElement) return;
    e.preventDefault();
    if (step.name === 'find') {
      const row = rows[cursor];
      if (row) setStep({ name: 'result', payment: row });
      else if (query.trim() !== '') void find(query.trim());
      else setAskedEmpty(true);
    } else if (step.name === 'form') {
      const r = payInput(step.form, step.found.sale.ref, crypto.randomUUID());
      if ('problem' in r) setStep({ ...step, problem: r.problem });
      else setStep({ name: 'confirm', found: step.found, form: step.form, input: r.input });
    } else if (step.name === 'confirm') {
      void confirm(step);
    } else if (step.payment.state === 'sending' && step.retry?.name === 'confirm') {
      // "Enter — спросить сейчас": the same payment id, so VCR is asked, never sent blindly.
      void confirm(step.retry);
    } else {
      toFind();
    }
  };

  return (
    <section ref={section} className="panel instalment-panel" aria-labelledby="instalment-title" tabIndex={-1} onKeyDown={onKeyDown} data-testid={`instalment-step-${step.name}`}>
      <h1 id="instalment-title">{t('instalment.title')}</h1>
      {step.name === 'find' && (
        <>
          <label htmlFor="instalment-query">{t('instalment.queryLabel')}</label>
          <input id="instalment-query" data-primary autoFocus value={query} onChange={(e) => { setQuery(e.target.value); setCursor(-1); setAskedEmpty(false); }} autoComplete="off" />
          {askedEmpty && <p className="block-reason" role="alert">{t('instalment.emptyAsked')}</p>}
          <h2>{t('instalment.listTitle')}</h2>
          {rows.length === 0 && <p>{t('instalment.listEmpty')}</p>}
          <ul className="instalment-list" role="listbox" aria-label={t('instalment.keyList')}>
            {rows.map((p, i) => (
              <li key={p.id} role="option" aria-selected={i === cursor} className={i === cursor ? 'active' : ''} data-testid="instalment-row">
                {dateTime(p.createdAt)} · {t('instalment.row', { sale: p.saleNumber })} · {sum(p.amountMinor)} · {t(STATE_KEY[p.state])}{p.vcrId ? ` · VCR ${p.vcrId}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
      {(step.name === 'form' || step.name === 'confirm') && <SaleView found={step.found} />}
      {step.name === 'form' && (
        <TenderFields form={step.form} onChange={(form) => setStep({ ...step, form, problem: undefined })} />
      )}
      {step.name === 'form' && step.problem && <p className="block-reason" role="alert">{step.problem}</p>}
      {step.name === 'confirm' && (
        <div className="confirm" role="alert" data-testid="instalment-confirm">
          <p>{t('instalment.confirmTake', { sum: sum(step.input.amountMinor), sale: step.found.sale.number, tenders: step.input.tenders.map(tender).join(', ') })}</p>
          {step.input.phone && <p>{t('instalment.confirmPhone', { phone: step.input.phone })}</p>}
          <p>{t('instalment.confirmKeys')}</p>
        </div>
      )}
      {step.name === 'result' && <ResultView payment={step.payment} copy={copy?.id === step.payment.id ? copy.copy : undefined} />}
      <p role="status">{busy ? t('instalment.busy') : ''}</p>
      {error && <ErrorBox error={error} />}
    </section>
  );
}

const STATE_KEY = {
  sending: 'instalment.stateSending', registered: 'instalment.stateRegistered', failed: 'instalment.stateFailed',
} as const satisfies Record<InstalmentPayment['state'], string>;

function SaleView({ found }: { found: InstalmentSale }) {
  const locale = useLocale();
  const { t, dateTime, quantity } = locale;
  const sum = sumOf(locale);
  const { sale } = found;
  return (
    <div className="instalment-sale" data-testid="instalment-sale">
      <p>{t('instalment.sale')} <strong id="instalment-sale-number">{sale.number}</strong> {t('instalment.saleLine', { when: dateTime(sale.createdAt), total: sum(sale.totalMinor) })}</p>
      <ul aria-label={t('instalment.sold')}>
        {sale.lines.map((l) => <li key={l.lineId}>{l.name} — {quantity(l.quantityMilli, sale.currency)} — {sum(l.amountMinor)}</li>)}
      </ul>
      {sale.payments.length > 0 && <p>{t('instalment.paidBySale', { list: sale.payments.map((p) => `${p.kind === 'cash' ? t('instalment.cash') : t('instalment.card')} ${sum(p.amountMinor)}`).join(', ') })}</p>}
      <p data-testid="instalment-credited">{t('instalment.credited', { sum: sum(found.creditedMinor), count: found.payments.filter((p) => p.state === 'registered').length })}</p>
      <p className="hint">{t('instalment.debtUnknown')}</p>
    </div>
  );
}

function TenderFields({ form, onChange }: { form: TenderForm; onChange(form: TenderForm): void }) {
  const { t } = useLocale();
  const field = (id: keyof TenderForm, label: string, primary = false) => (
    <p>
      <label htmlFor={`instalment-${id}`}>{label}</label>{' '}
      <input id={`instalment-${id}`} value={form[id]} autoComplete="off" {...(primary ? { 'data-primary': true, autoFocus: true } : {})}
        onChange={(e) => onChange({ ...form, [id]: e.target.value })} />
    </p>
  );
  const card = (id: 'card1' | 'card2', label: string) => (
    <p>
      <label htmlFor={`instalment-${id}`}>{label}</label>{' '}
      <select id={`instalment-${id}`} value={form[id]} onChange={(e) => onChange({ ...form, [id]: e.target.value === 'corporate' ? 'corporate' : 'personal' })}>
        <option value="personal">{t('instalment.cardPersonal')}</option>
        <option value="corporate">{t('instalment.cardCorporate')}</option>
      </select>
    </p>
  );
  return (
    <fieldset className="instalment-tenders">
      <legend>{t('instalment.amounts')}</legend>
      {field('amount', t('instalment.amount'), true)}
      {field('cash', t('instalment.cashPart'))}
      {field('terminal1', t('instalment.terminalSum', { n: 1 }))}
      {field('rrn1', t('instalment.terminalRrn', { n: 1 }))}
      {card('card1', t('instalment.terminalCard', { n: 1 }))}
      {field('terminal2', t('instalment.terminalSum', { n: 2 }))}
      {field('rrn2', t('instalment.terminalRrn', { n: 2 }))}
      {card('card2', t('instalment.terminalCard', { n: 2 }))}
      {field('phone', t('instalment.phone'))}
      <p className="hint">{t('instalment.tendersHint')}</p>
    </fieldset>
  );
}

function ResultView({ payment, copy }: { payment: InstalmentPayment; copy: CreditReceiptCopy | undefined }) {
  const locale = useLocale();
  const { t, dateTime } = locale;
  const sum = sumOf(locale);
  return (
    <div className="instalment-result" data-testid={`instalment-result-${payment.state}`}>
      {payment.state === 'registered' && (
        <>
          <p role="status">{t('instalment.registered')}</p>
          <p>{t('instalment.vcrReceipt')} <strong data-testid="instalment-vcr-id">{payment.vcrId}</strong></p>
        </>
      )}
      {payment.reason && <p className="block-reason" role="alert">{mainText(payment.reason, locale.language, payment.reasonText)}</p>}
      <p>{t('instalment.sale')} {payment.saleNumber} · {t('instalment.taken')} <strong data-testid="instalment-amount">{sum(payment.amountMinor)}</strong>: {payment.tenders.map(tenderText(t, sum)).join(', ')}</p>
      {payment.phone && <p>{t('instalment.phoneInReceipt', { phone: payment.phone })}</p>}
      <p>{t('instalment.toDate', { sum: sum(payment.creditedToDateMinor) })}</p>
      <p className="hint">{dateTime(payment.createdAt)} · {t('instalment.paymentNo', { id: payment.id })} {payment.state === 'sending' ? t('instalment.askVcr') : t('instalment.backToSearch')}</p>
      {payment.state === 'registered' && <p className="hint">{t('instalment.copyKey')}</p>}
      {copy && <CopyView copy={copy} />}
    </div>
  );
}

/** What the copy came to: printed (and the lines for reference), or the lines and the sale's QR link on screen. */
function CopyView({ copy }: { copy: CreditReceiptCopy }) {
  const { t } = useLocale();
  return (
    <section className="instalment-copy" aria-label={t('instalment.copyTitle')} data-testid={copy.printed ? 'instalment-copy-printed' : 'instalment-copy-screen'}>
      <h2>{t('instalment.copyTitle')}</h2>
      {copy.printed ? <p role="status">{t('instalment.copyPrinted')}</p>
        : <p role="status" className={copy.printerProblem ? 'block-reason' : undefined}>{copy.printerProblem ?? t('instalment.copyOnScreen')}</p>}
      <pre data-testid="instalment-copy-lines">{copy.lines.join('\n')}</pre>
      {copy.saleQrCodeUrl && <p>{t('instalment.saleQr')} <code data-testid="instalment-sale-qr">{copy.saleQrCodeUrl}</code></p>}
    </section>
  );
}
