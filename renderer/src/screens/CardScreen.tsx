import { useRef, useState } from 'react';
import type { Currency, RefundTender } from '../../../preload/contract';
import { formatMoney } from '../format/money';

export const CARD_KEYS = [{ key: 'Enter', label: 'Дальше' }, { key: 'Esc', label: 'К итогу' }] as const;

const RRN = /^\d{12}$/;

/**
 * Card parts go back through the acquiring terminal: the cashier asks for the card, runs the refund on
 * the terminal, and types the RRN from the terminal's slip, one per card part.
 */
export function CardScreen({ tenders, currency, rrns, onRrns, onDone }: {
  tenders: readonly RefundTender[];
  currency: Currency;
  rrns: Readonly<Record<string, string>>;
  onRrns(next: Record<string, string>): void;
  onDone(rrns: Record<string, string>): void;
}) {
  const cards = tenders.filter((t) => t.needsCard);
  const inputs = useRef<(HTMLInputElement | null)[]>([]);
  const [problem, setProblem] = useState<string | null>(null);

  const onEnter = (index: number) => {
    const tender = cards[index];
    if (!tender) return;
    if (!RRN.test(rrns[tender.paymentPartId] ?? '')) {
      setProblem('RRN — ровно 12 цифр с чека терминала');
      return;
    }
    setProblem(null);
    const next = inputs.current[index + 1];
    if (next) next.focus();
    else onDone({ ...rrns });
  };

  return (
    <section className="screen card-screen" aria-labelledby="card-title">
      <h1 id="card-title">Возврат на карту</h1>
      <p className="instruction">
        Попросите покупателя вставить или приложить карту к терминалу, проведите на терминале возврат на указанную сумму
        и введите RRN (12 цифр) с чека терминала.
      </p>
      {cards.map((t, i) => (
        <div key={t.paymentPartId} className="rrn-field">
          <label htmlFor={`rrn-${i}`}>Карта {cards.length > 1 ? `${i + 1} из ${cards.length}` : ''}: {formatMoney(t.amountMinor, currency)} — RRN</label>
          <input
            id={`rrn-${i}`}
            ref={(el) => { inputs.current[i] = el; }}
            data-primary={i === 0 ? true : undefined}
            autoFocus={i === 0}
            inputMode="numeric"
            autoComplete="off"
            maxLength={12}
            aria-invalid={problem !== null}
            aria-describedby="rrn-problem"
            value={rrns[t.paymentPartId] ?? ''}
            onChange={(e) => onRrns({ ...rrns, [t.paymentPartId]: e.target.value.replace(/\D/g, '') })}
            onKeyDown={(e) => {
              if (e.key !== 'Enter') return;
              e.preventDefault();
              onEnter(i);
            }}
          />
        </div>
      ))}
      <p id="rrn-problem" className="field-problem" role="alert">{problem ?? ''}</p>
    </section>
  );
}
