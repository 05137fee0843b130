import { useState, type KeyboardEvent } from 'react';
import type { EnteredLine, ErrorPayload, Sale } from '../../../preload/contract';
import { ErrorBox } from '../components/ErrorBox';
import { formatMoney, formatQuantity } from '../format/money';
import { checkDraft, emptyDraft, type DraftLine } from '../refund/enteredLines';

export const ENTRY_KEYS = [{ key: 'Enter', label: 'Следующее поле / добавить строку' }, { key: 'Enter на пустом наименовании', label: 'К оплате' }] as const;

const VAT_LABEL: Record<EnteredLine['vat'], string> = { vat12: 'НДС 12 %', vat15: 'НДС 15 %', vat0: 'НДС 0 %', none: 'Без НДС' };
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
  const [lines, setLines] = useState<EnteredLine[]>([]);
  const [draft, setDraft] = useState<DraftLine>(emptyDraft);
  const [payment, setPayment] = useState<'cash' | 'card'>('cash');
  const [problem, setProblem] = useState<string | null>(null);
  const entered = lines.reduce((s, l) => s + l.amountMinor, 0);
  const focus = (id: string) => document.getElementById(`entry-${id}`)?.focus();

  const onFieldKey = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    e.stopPropagation();
    const field = FIELDS.find((f) => `entry-${f}` === e.currentTarget.id);
    if (!field) return;
    if (field === 'name' && draft.name.trim() === '' && lines.length > 0) return focus('payment');
    const next = FIELDS[FIELDS.indexOf(field) + 1];
    if (next) return focus(next);
    const checked = checkDraft(draft);
    if ('problem' in checked) return setProblem(checked.problem);
    if (entered + checked.line.amountMinor > sale.totalMinor) {
      return setProblem(`Вместе с этой строкой ${formatMoney(entered + checked.line.amountMinor, sale.currency)} — больше суммы чека ${formatMoney(sale.totalMinor, sale.currency)}`);
    }
    setLines([...lines, checked.line]);
    setDraft(emptyDraft);
    setProblem(null);
    focus('name');
  };

  const onPaymentKey = (e: KeyboardEvent) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    e.stopPropagation();
    if (!busy && lines.length > 0) onDone(lines, payment);
  };

  const field = (id: Exclude<(typeof FIELDS)[number], 'vat'>, label: string, props: { inputMode?: 'numeric' | 'decimal'; primary?: boolean } = {}) => (
    <div className="field">
      <label htmlFor={`entry-${id}`}>{label}</label>
      <input
        id={`entry-${id}`}
        data-primary={props.primary ? true : undefined}
        autoFocus={props.primary}
        autoComplete="off"
        spellCheck={false}
        inputMode={props.inputMode}
        value={draft[id]}
        onChange={(e) => setDraft({ ...draft, [id]: id === 'icps' ? e.target.value.replace(/\D/g, '') : e.target.value })}
        onKeyDown={onFieldKey}
      />
    </div>
  );

  return (
    <section className="screen entry-screen" aria-labelledby="entry-title">
      <h1 id="entry-title">Чек REGOS № {sale.number}: введите позиции с бумажного чека</h1>
      <p className="instruction">
        VCR хранит только фискальные данные чека, без товаров. Введите каждую возвращаемую позицию так, как она напечатана в чеке
        (Enter — следующее поле). Когда всё введено, нажмите Enter в пустом поле «Наименование», выберите способ оплаты и нажмите Enter.
      </p>
      <p data-testid="entry-totals">
        Сумма чека: {formatMoney(sale.totalMinor, sale.currency)} · введено: {formatMoney(entered, sale.currency)}
      </p>
      {lines.length > 0 && (
        <ul className="recent-list" aria-label="Введённые позиции">
          {lines.map((l, i) => (
            <li key={i}>
              <span>{l.name}</span><span>{formatQuantity(l.quantityMilli, sale.currency)}</span>
              <span className="num">{formatMoney(l.amountMinor, sale.currency)}</span><span>{VAT_LABEL[l.vat]} · ИКПУ {l.icps}</span>
            </li>
          ))}
        </ul>
      )}
      {field('name', 'Наименование', { primary: true })}
      {field('icps', 'ИКПУ (17 цифр)', { inputMode: 'numeric' })}
      {field('quantity', 'Количество', { inputMode: 'decimal' })}
      {field('sum', 'Сумма строки, сум', { inputMode: 'decimal' })}
      <div className="field">
        <label htmlFor="entry-vat">НДС</label>
        <select id="entry-vat" value={draft.vat} onChange={(e) => setDraft({ ...draft, vat: e.target.value as EnteredLine['vat'] })} onKeyDown={onFieldKey}>
          {(Object.keys(VAT_LABEL) as EnteredLine['vat'][]).map((v) => <option key={v} value={v}>{VAT_LABEL[v]}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="entry-payment">Оплата по чеку</label>
        <select id="entry-payment" value={payment} onChange={(e) => setPayment(e.target.value === 'card' ? 'card' : 'cash')} onKeyDown={onPaymentKey}>
          <option value="cash">Наличные</option>
          <option value="card">Карта (терминал)</option>
        </select>
      </div>
      <p id="entry-problem" className="field-problem" role="alert">{problem ?? ''}</p>
      {error && <ErrorBox error={error} />}
    </section>
  );
}
