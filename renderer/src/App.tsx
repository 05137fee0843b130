import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ErrorPayload, Refund, SaleRef, Sale, CallResult } from '../../preload/contract';
import { useCashier, useCall, useEventListener } from './api/hooks';
import { useAppStatus } from './api/useAppStatus';
import { KeyBar } from './components/KeyBar';
import { StatusHeader } from './components/StatusHeader';
import { globalActionFor, type KeyHint } from './keys/keymap';
import { noBurst, trackKey } from './keys/scannerBurst';
import { stepBack, type Panel, type Step } from './refund/flow';
import { refundBlockReason, saleNotices } from './refund/gate';
import { emptySelection, refundLines, type Selection } from './refund/selection';
import { CARD_KEYS, CardScreen } from './screens/CardScreen';
import { DONE_KEYS, DoneScreen } from './screens/DoneScreen';
import { HelpPanel } from './screens/HelpPanel';
import { PRINTING_KEYS, PrintingScreen, type PrintingOutcome } from './screens/PrintingScreen';
import { RECENT_KEYS, RecentPanel } from './screens/RecentPanel';
import { SALE_KEYS, SaleScreen } from './screens/SaleScreen';
import { SEARCH_KEYS, SearchScreen } from './screens/SearchScreen';
import { SETTINGS_KEYS, SettingsPanel } from './screens/SettingsPanel';
import { SHIFT_KEYS, ShiftPanel } from './screens/ShiftPanel';
import { SUMMARY_KEYS, SummaryScreen } from './screens/SummaryScreen';
import { SYNC_KEYS, SyncPanel } from './screens/SyncPanel';

type Printing = { progress: string; outcome: PrintingOutcome | { kind: 'accepted' } };
const FINAL_OK = new Set<Refund['state']>(['fiscalized', 'synced']);
const FINAL_STOP = new Set<Refund['state']>(['failed', 'review']);
const ACCEPTED_POLL_MS = 2000;

const PANEL_KEYS: Record<Panel, readonly KeyHint[]> = {
  help: [], recent: RECENT_KEYS, sync: SYNC_KEYS, shift: SHIFT_KEYS, settings: SETTINGS_KEYS,
};
const STEP_KEYS: Record<Step['name'], readonly KeyHint[]> = {
  search: SEARCH_KEYS, sale: SALE_KEYS, summary: SUMMARY_KEYS, card: CARD_KEYS, printing: PRINTING_KEYS, done: DONE_KEYS,
};

function focusPrimary(): void {
  const layer = document.querySelector<HTMLElement>('.layer-active');
  if (!layer || layer.contains(document.activeElement)) return;
  layer.querySelector<HTMLElement>('[data-primary]')?.focus();
}

/** Text fields and the lines list take scans themselves; everywhere else a scan must not press Enter. */
const takesScans = (target: EventTarget | null) =>
  target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement ||
  (target instanceof HTMLElement && target.dataset.scanTarget !== undefined);

const firstRefundable = (sale: Sale): Selection => ({ ...emptySelection, cursor: Math.max(0, sale.lines.findIndex((l) => l.refundableMilli > 0)) });

export function App() {
  const client = useCashier();
  const { status, error: statusError, refresh: refreshStatus } = useAppStatus();
  const [step, setStep] = useState<Step>({ name: 'search' });
  const [panel, setPanel] = useState<Panel | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload>();
  const [lastQuery, setLastQuery] = useState<string | null>(null);
  const [printing, setPrinting] = useState<Printing>({ progress: '', outcome: { kind: 'waiting' } });
  const [lastRefund, setLastRefund] = useState<Refund | null>(null);
  const reprint = useCall('refunds.reprint');
  const [reprintState, setReprintState] = useState<'idle' | 'printing' | 'done'>('idle');
  const stepRef = useRef(step);
  useLayoutEffect(() => {
    stepRef.current = step;
  }, [step]);

  const go = useCallback((next: Step) => {
    setError(undefined);
    setStep(next);
  }, []);

  const openSale = useCallback(async (lookup: Promise<CallResult<'sales.find'>>, query: string | null) => {
    setBusy(true);
    setPanel(null);
    const r = await lookup;
    setBusy(false);
    setLastQuery(query);
    if (r.ok) {
      go({ name: 'sale', sale: r.value, selection: firstRefundable(r.value) });
    } else {
      setStep({ name: 'search' });
      setError(r.error);
    }
  }, [go]);

  const search = useCallback((query: string) => void openSale(client.call('sales.find', { query }), query), [client, openSale]);
  const openRef = useCallback((ref: SaleRef) => void openSale(client.call('sales.get', { ref }), null), [client, openSale]);

  const finish = useCallback((refund: Refund) => {
    if (FINAL_OK.has(refund.state)) {
      setLastRefund(refund);
      setReprintState('idle');
      go({ name: 'done', refund });
      refreshStatus();
    } else if (FINAL_STOP.has(refund.state)) {
      setPrinting((p) => ({ ...p, outcome: { kind: 'stopped', refund } }));
    } else {
      setPrinting((p) => ({ ...p, outcome: { kind: 'accepted' } }));
    }
  }, [go, refreshStatus]);

  const confirm = useCallback(async (s: Extract<Step, { name: 'summary' | 'card' | 'printing' }>, rrns: Record<string, string>) => {
    const next: Step = { ...s, name: 'printing', rrns };
    go(next);
    setPrinting({ progress: 'Печатаю чек возврата…', outcome: { kind: 'waiting' } });
    const r = await client.call('refunds.confirm', {
      refundId: s.refundId, sale: s.sale.ref, lines: refundLines(s.selection, s.sale.lines), cardRrns: rrns,
    });
    if (stepRef.current.name !== 'printing') return;
    if (r.ok) finish(r.value);
    else setPrinting((p) => ({ ...p, outcome: { kind: 'error', error: r.error } }));
  }, [client, finish, go]);

  const toSummary = useCallback(async (s: Extract<Step, { name: 'sale' }>) => {
    const lines = refundLines(s.selection, s.sale.lines);
    if (lines.length === 0) {
      setStep({ ...s, selection: { ...s.selection, notice: 'Выберите, что возвращается: пробел — позиция, * — вся продажа' } });
      return;
    }
    setBusy(true);
    const r = await client.call('refunds.preview', { sale: s.sale.ref, lines });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    go({ name: 'summary', sale: s.sale, selection: s.selection, preview: r.value, refundId: crypto.randomUUID(), rrns: {} });
  }, [client, go]);

  // The saga reports each state; a receipt held up by the printer finishes after the confirm call returned.
  useEventListener('refund.progress', (p) => {
    const s = stepRef.current;
    if (s.name !== 'printing' || p.refundId !== s.refundId) return;
    setPrinting((prev) => ({ ...prev, progress: p.message }));
    if (FINAL_OK.has(p.state) || FINAL_STOP.has(p.state)) {
      void client.call('refunds.get', { id: s.refundId }).then((r) => r.ok && stepRef.current.name === 'printing' && finish(r.value));
    }
  });

  const accepted = step.name === 'printing' && printing.outcome.kind === 'accepted';
  const acceptedId = step.name === 'printing' ? step.refundId : null;
  useEffect(() => {
    if (!accepted || !acceptedId) return;
    // Events can be missed across a reconnect: ask now and then as well, with a bound per request.
    const timer = setInterval(() => {
      void client.call('refunds.get', { id: acceptedId }).then((r) => r.ok && stepRef.current.name === 'printing' && finish(r.value));
    }, ACCEPTED_POLL_MS);
    return () => clearInterval(timer);
  }, [accepted, acceptedId, client, finish]);

  const doReprint = useCallback((refund: Refund) => {
    setReprintState('printing');
    void reprint.run({ id: refund.id }).then((r) => setReprintState(r.ok ? 'done' : 'idle'));
  }, [reprint]);

  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (document.activeElement === document.body) focusPrimary();
      if (e.defaultPrevented) return;
      const action = globalActionFor(e);
      if (!action) return;
      e.preventDefault();
      const s = stepRef.current;
      const printingNow = s.name === 'printing';
      switch (action) {
        case 'help': case 'shift': case 'sync': case 'recent': case 'settings':
          setPanel((p) => (p === action ? null : action));
          return;
        case 'search':
          if (printingNow) return;
          setPanel(null);
          go({ name: 'search' });
          return;
        case 'reprint': {
          const refund = s.name === 'done' ? s.refund : lastRefund;
          if (refund) doReprint(refund);
          return;
        }
        case 'back': {
          if (panel) return setPanel(null);
          const settled = printing.outcome.kind === 'error' || printing.outcome.kind === 'stopped';
          if (printingNow && printing.outcome.kind === 'stopped') return go({ name: 'search' });
          const prev = stepBack(s, settled);
          if (prev) go(prev);
        }
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [doReprint, go, lastRefund, panel, printing.outcome.kind]);

  const burst = useRef(noBurst);
  useEffect(() => {
    const onKeyDownCapture = (e: KeyboardEvent) => {
      const { state, scanned } = trackKey(burst.current, e.key, e.timeStamp);
      burst.current = state;
      if (scanned === null || takesScans(e.target)) return;
      e.preventDefault();
      e.stopPropagation();
      if (stepRef.current.name !== 'printing') search(scanned);
    };
    window.addEventListener('keydown', onKeyDownCapture, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDownCapture, { capture: true });
  }, [search]);

  useEffect(focusPrimary, [panel, step.name, busy]);

  const blockReason = 'sale' in step ? refundBlockReason(step.sale, status) : null;

  return (
    <div className="app">
      <StatusHeader status={status} error={statusError} />
      <main className={`flow${panel ? '' : ' layer-active'}`} inert={panel !== null} aria-label="Возврат">
        {step.name === 'search' && <SearchScreen busy={busy} error={error} lastQuery={lastQuery} onSearch={search} />}
        {step.name === 'sale' && (
          <SaleScreen
            sale={step.sale}
            selection={step.selection}
            blockReason={blockReason}
            notices={saleNotices(step.sale, status)}
            busy={busy}
            error={error}
            onSelection={(selection) => setStep({ ...step, selection })}
            onConfirm={() => { if (!blockReason) void toSummary(step); }}
            onScan={search}
          />
        )}
        {step.name === 'summary' && (
          <SummaryScreen
            preview={step.preview}
            error={error}
            busy={busy}
            blockReason={blockReason}
            onConfirm={() => (step.preview.tenders.some((t) => t.needsCard) ? go({ ...step, name: 'card' }) : void confirm(step, {}))}
          />
        )}
        {step.name === 'card' && (
          <CardScreen
            tenders={step.preview.tenders}
            currency={step.preview.currency}
            rrns={step.rrns}
            onRrns={(rrns) => setStep({ ...step, rrns })}
            onDone={(rrns) => void confirm(step, rrns)}
          />
        )}
        {step.name === 'printing' && (
          <PrintingScreen
            progress={printing.progress}
            printer={status?.printer}
            outcome={printing.outcome.kind === 'accepted' ? { kind: 'waiting' } : printing.outcome}
            onRetry={() => void confirm(step, step.rrns)}
          />
        )}
        {step.name === 'done' && (
          <DoneScreen refund={step.refund} busy={busy} reprint={reprintState} error={reprint.error ?? error} onSearch={search} />
        )}
      </main>
      {panel && (
        <div className="panel-layer layer-active" role="dialog" aria-modal="true" aria-label="Панель">
          {panel === 'help' && <HelpPanel />}
          {panel === 'recent' && <RecentPanel onOpen={openRef} />}
          {panel === 'sync' && <SyncPanel />}
          {panel === 'shift' && <ShiftPanel onChanged={refreshStatus} />}
          {panel === 'settings' && <SettingsPanel onSaved={refreshStatus} />}
        </div>
      )}
      <KeyBar local={panel ? PANEL_KEYS[panel] : STEP_KEYS[step.name]} />
    </div>
  );
}
