import { useState, type KeyboardEvent } from 'react';
import type { Sale } from '../../../preload/contract';
import { useCashier } from '../api/hooks';
import { useLocale } from '../i18n/LocaleProvider';
import { mainText } from '../i18n/mainTexts';

/**
 * Refund receipts rebuilt from the ФН after a lost database that no sale is known for (Sale.recovered,
 * main/refunds/README.md "Recovered refunds"): the cashier says, from the keyboard, whether each is a refund
 * of this sale (1) or not (2). Only such a word frees money the program counted, or lets an undecided
 * receipt's sale be refunded; the answer is the sale again, with its remainder as it now stands.
 */
export function RecoveredReceipts({ sale, onSale }: { sale: Sale; onSale(sale: Sale): void }) {
  const { t, language } = useLocale();
  const client = useCashier();
  const [cursor, setCursor] = useState(0);
  const [failed, setFailed] = useState(false);
  const receipts = sale.recovered?.receipts ?? [];
  if (receipts.length === 0) return null;
  const at = Math.min(cursor, receipts.length - 1);

  const decide = (belongs: boolean) => {
    const r = receipts[at];
    if (!r) return;
    void client.call('refunds.decideRecovered', { fnNumber: r.fnNumber, number: r.number, sale: sale.ref, belongs }).then((answer) => {
      setFailed(!answer.ok);
      if (answer.ok) onSale(answer.value);
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    const moves: Record<string, number> = { ArrowUp: -1, ArrowDown: 1 };
    const move = moves[e.key];
    if (move !== undefined) setCursor(Math.max(0, Math.min(receipts.length - 1, at + move)));
    else if (e.key === '1' || e.key === '2') decide(e.key === '1');
    else return;
    e.preventDefault();
  };

  return (
    <section className="recovered-receipts" aria-labelledby="recovered-receipts-title" data-testid="recovered-receipts">
      <h2 id="recovered-receipts-title">{t('recovered.title')}</h2>
      <p className="recovered-hint">{t('recovered.hint')}</p>
      <ul role="listbox" tabIndex={0} aria-activedescendant={`recovered-${at}`} onKeyDown={onKeyDown}>
        {receipts.map((r, i) => (
          <li key={`${r.fnNumber}/${r.number}`} id={`recovered-${i}`} role="option" aria-selected={i === at} className={i === at ? 'active' : undefined} data-undecided={r.undecided}>
            {mainText(r.text, language, r.coded)} — {r.undecided ? t('recovered.undecided') : t('recovered.counted')}
          </li>
        ))}
      </ul>
      {failed && <p role="alert">{t('recovered.failed')}</p>}
    </section>
  );
}
