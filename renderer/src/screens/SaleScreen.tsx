import { memo, useEffect, useRef, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Currency, ErrorPayload, Sale, SaleLine } from '../../../preload/contract';
import { ErrorBox } from '../components/ErrorBox';
import { useLocale } from '../i18n/LocaleProvider';
import { lineKeyFor, PAGE_ROWS } from '../keys/keymap';
import { noBurst, scannedKey, trackKey, type BurstState } from '../keys/scannerBurst';
import { saleLineCodes } from '../../../preload/contract/markingCode';
import { applyLineKey, commitTyped, pickByBarcode, refundLines, type Selection } from '../refund/selection';

export const SALE_KEYS = [
  { key: '↑↓ PgUp PgDn', label: 'keys.line' },
  { key: 'Пробел', label: 'keys.toggleLine' },
  { key: '+ − 0–9', label: 'keys.quantity' },
  { key: '*', label: 'keys.wholeSale' },
  { key: 'Enter', label: 'keys.toSummary' },
] as const;

/** One row's height in px: the virtual list places rows by it (styles.css --row-h). */
const ROW_PX = 34;


interface Props {
  sale: Sale;
  selection: Selection;
  blockReason: string | null;
  notices: readonly string[];
  busy: boolean;
  error: ErrorPayload | undefined;
  onSelection(next: Selection): void;
  onConfirm(): void;
  /** A scanner burst that is not one of this sale's barcodes: a new receipt (number or QR) to look up. */
  onScan(code: string): void;
}

export function SaleScreen({ sale, selection, blockReason, notices, busy, error, onSelection, onConfirm, onScan }: Props) {
  const { t, money, dateTime } = useLocale();
  const listRef = useRef<HTMLDivElement>(null);
  const lines = sale.lines;
  // Only the rows in view are in the page: a 300-line sale keeps every key within a frame (issue 19 point 1).
  const rows = useVirtualizer({ count: lines.length, getScrollElement: () => listRef.current, estimateSize: () => ROW_PX, overscan: 8 });

  useEffect(() => {
    rows.scrollToIndex(selection.cursor, { align: 'auto' });
  }, [rows, selection.cursor]);

  /** Page Up/Down move by what the list shows now, one row kept for context. */
  const pageRows = () => {
    const h = listRef.current?.clientHeight ?? 0;
    return h > 0 ? Math.max(1, Math.floor(h / ROW_PX) - 1) : PAGE_ROWS;
  };

  // The keys of a scan reach the list one by one before its Enter shows it was a scan: the selection as
  // it was before the burst's first key is kept, and put back when the burst ends (issue 13 point 4).
  const burst = useRef<{ state: BurstState; before: Selection }>({ state: noBurst, before: selection });

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const now = e.timeStamp;
    const tracked = trackKey(burst.current.state, scannedKey(e), now);
    const before = tracked.state.chars.length <= 1 ? selection : burst.current.before;
    burst.current = { state: tracked.state, before };
    if (tracked.scanned !== null) {
      e.preventDefault();
      const restored = { ...burst.current.before, typed: '', typedAt: [] };
      const picked = pickByBarcode(restored, lines, tracked.scanned, t);
      if (picked) onSelection(picked);
      else {
        onSelection(restored);
        onScan(tracked.scanned);
      }
      return;
    }
    if (e.key === 'Enter') {
      e.preventDefault();
      if (selection.typed !== '') {
        onSelection(commitTyped(selection, lines, sale.currency, t));
        return;
      }
      if (!busy) onConfirm();
      return;
    }
    if (e.key === 'Escape' && selection.typed !== '') {
      e.preventDefault();
      onSelection({ ...selection, typed: '', typedAt: [] });
      return;
    }
    const key = lineKeyFor(e, pageRows());
    if (!key) return;
    e.preventDefault();
    onSelection(applyLineKey(selection, key, lines, now, t));
  };

  const picked = refundLines(selection, lines);
  const active = lines[selection.cursor];

  return (
    <section className="screen sale-screen" aria-labelledby="sale-title">
      <h1 id="sale-title">
        {t('sale.title', { number: sale.number })} <small>{t('sale.from', { when: dateTime(sale.createdAt), source: t(`source.${sale.ref.source}`), total: money(sale.totalMinor, sale.currency) })}</small>
      </h1>
      {blockReason && <p className="block-reason" role="alert">{blockReason}</p>}
      {notices.map((n) => <p key={n} className="notice" role="note">{n}</p>)}
      {error && <ErrorBox error={error} />}
      <div className="lines-head" aria-hidden="true">
        <span>{t('sale.colName')}</span><span>{t('sale.colPrice')}</span><span>{t('sale.colSold')}</span><span>{t('sale.colRefundable')}</span><span>{t('sale.colRefund')}</span>
      </div>
      <div
        ref={listRef}
        className="lines"
        role="listbox"
        tabIndex={0}
        data-primary
        data-scan-target
        autoFocus
        aria-label={t('sale.listLabel')}
        aria-activedescendant={active ? `line-${selection.cursor}` : undefined}
        onKeyDown={onKeyDown}
      >
        <div className="lines-canvas" style={{ height: rows.getTotalSize() }}>
          {rows.getVirtualItems().map(({ index: i, start }) => {
            const line = lines[i];
            return line && (
              <LineRow
                key={line.lineId}
                index={i}
                count={lines.length}
                top={start}
                line={line}
                currency={sale.currency}
                quantity={selection.quantities[line.lineId] ?? 0}
                active={i === selection.cursor}
                typed={i === selection.cursor ? selection.typed : ''}
              />
            );
          })}
        </div>
      </div>
      <p className="selection-status" role="status" aria-live="polite">
        {selection.notice ?? (picked.length === 0 ? t('sale.nothingPicked') : t('sale.picked', { count: picked.length }))}
      </p>
    </section>
  );
}

interface RowProps { index: number; count: number; top: number; line: SaleLine; currency: Currency; quantity: number; active: boolean; typed: string }

/** Memoised: a keypress re-renders only the row it changed, so 300 lines stay within a frame. */
const LineRow = memo(function LineRow({ index, count, top, line, currency, quantity, active, typed }: RowProps) {
  const { t, money, quantity: qty } = useLocale();
  const done = line.refundableMilli === 0;
  return (
    <div
      id={`line-${index}`}
      data-index={index}
      role="option"
      aria-selected={active}
      aria-setsize={count}
      aria-posinset={index + 1}
      style={{ transform: `translateY(${top}px)` }}
      aria-label={t('sale.lineLabel', { name: line.name, refundable: qty(line.refundableMilli, currency), picked: qty(quantity, currency) })}
      className={`line${active ? ' active' : ''}${quantity > 0 ? ' picked' : ''}${done ? ' done' : ''}`}
    >
      <span className="line-name">
        {line.name}
        {saleLineCodes(line) && <span className="marked-badge" data-testid="marked" title={t('sale.markedHint')}> · {t('sale.marked')}</span>}
      </span>
      <span className="num">{money(line.priceMinor, currency)}</span>
      <span className="num">{qty(line.quantityMilli, currency)}</span>
      <span className="num">{done ? t('sale.refunded') : qty(line.refundableMilli, currency)}</span>
      <span className="num qty" data-testid="line-qty">
        {typed !== '' ? <span className="typed">{typed}▌</span> : qty(quantity, currency)}
      </span>
    </div>
  );
});
