import { useRef, useState } from 'react';
import type { Currency, RefundTender, SalePayment } from '../../../preload/contract';
import { useLocale } from '../i18n/LocaleProvider';
import { noBurst, trackKey, type BurstState } from '../keys/scannerBurst';
import { cleanRrn, rrnProblem } from '../refund/rrn';

export const CARD_KEYS = [{ key: 'Enter', label: 'cardStep.keyNext' }, { key: 'Esc', label: 'cardStep.keyBack' }] as const;

/**
 * Card parts go back through the acquiring terminal: the cashier asks for the card, runs the refund on
 * the terminal, and types the RRN from the terminal's slip, one per card part.
 */
export function CardScreen({ tenders, currency, saleRrns, salePayments, rrns, onRrns, onDone }: {
  tenders: readonly RefundTender[];
  currency: Currency;
  /**
   * The sale's payment parts: what the back end gave about each card payment (its RRN), so the cashier
   * asks for the same card. No back end here gives a masked card number (seeds, BACKENDS.md).
   */
  salePayments: readonly SalePayment[];
  /** RRNs of the sale's own card payments: typing one of them is a mistake. */
  saleRrns: readonly string[];
  rrns: Readonly<Record<string, string>>;
  onRrns(next: Record<string, string>): void;
  onDone(rrns: Record<string, string>): void;
}) {
  const { t: tr, money } = useLocale();
  const cards = tenders.filter((t) => t.needsCard);
  const inputs = useRef<(HTMLInputElement | null)[]>([]);
  const [problem, setProblem] = useState<string | null>(null);

  // Inside the field a scan is the field's input (issue 13 point 4); whether it was one tells a product
  // barcode from an RRN that happens to have a valid check digit.
  const burst = useRef<BurstState>(noBurst);

  const onEnter = (index: number, scanned: boolean) => {
    const tender = cards[index];
    if (!tender) return;
    const typed = rrns[tender.paymentPartId] ?? '';
    const why = rrnProblem(typed, { saleRrns, scanned }, tr) ?? (cards.some((c, i) => i !== index && rrns[c.paymentPartId] === typed) ? tr('cardStep.rrnTwice') : null);
    if (why) {
      setProblem(why);
      return;
    }
    setProblem(null);
    const next = inputs.current[index + 1];
    if (next) next.focus();
    else onDone({ ...rrns });
  };

  const saleCardText = (rrn: string | undefined) => (rrn ? tr('card.saleRrn', { rrn }) : tr('card.noSaleCard'));

  return (
    <section className="screen card-screen" aria-labelledby="card-title">
      <h1 id="card-title">{tr('cardStep.title')}</h1>
      <p className="instruction">{tr('cardStep.instruction')}</p>
      {cards.map((t, i) => (
        <div key={t.paymentPartId} className="rrn-field">
          <label htmlFor={`rrn-${i}`}>
            {cards.length > 1
              ? tr('card.manyLabel', { index: i + 1, count: cards.length, amount: money(t.amountMinor, currency) })
              : tr('card.oneLabel', { amount: money(t.amountMinor, currency) })}
          </label>
          <p className="sale-card" data-testid="sale-card">{saleCardText(salePayments.find((p) => p.paymentPartId === t.paymentPartId)?.rrn)}</p>
          <input
            id={`rrn-${i}`}
            ref={(el) => { inputs.current[i] = el; }}
            data-primary={i === 0 ? true : undefined}
            autoFocus={i === 0}
            autoComplete="off"
            spellCheck={false}
            maxLength={24}
            aria-invalid={problem !== null}
            aria-describedby="rrn-problem"
            value={rrns[t.paymentPartId] ?? ''}
            onChange={(e) => onRrns({ ...rrns, [t.paymentPartId]: cleanRrn(e.target.value) })}
            onKeyDown={(e) => {
              const tracked = trackKey(burst.current, e.key, e.timeStamp);
              burst.current = tracked.state;
              if (e.key !== 'Enter') return;
              e.preventDefault();
              onEnter(i, tracked.scanned !== null);
            }}
          />
        </div>
      ))}
      <p id="rrn-problem" className="field-problem" role="alert">{problem ?? ''}</p>
    </section>
  );
}
