import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { isPendingRefund, type EnteredLine, type ManualLine, type ErrorPayload, type MainText, type RecoveredRefund, type Refund, type SaleRef, type Sale, type CallResult } from '../../preload/contract';
import { useCashier, useCall, useEventListener } from './api/hooks';
import { useAppStatus } from './api/useAppStatus';
import { useAttention } from './api/useAttention';
import { KeyBar } from './components/KeyBar';
import { RecoveredRefunds } from './components/RecoveredRefunds';
import { RecoveredReceipts } from './components/RecoveredReceipts';
import { StatusHeader } from './components/StatusHeader';
import { translator } from './i18n/catalogue';
import { LocaleProvider } from './i18n/LocaleProvider';
import { globalActionFor } from './keys/keymap';
import { functionKeysFor, globalKeyActs, type KeySituation, type ShownKey } from './keys/keyBar';
import { noBurst, trackKey } from './keys/scannerBurst';
import { tabInside } from './keys/focusCycle';
import { stepBack, type Panel, type Step } from './refund/flow';
import { refundBlockReason, saleNotices } from './refund/gate';
import { emptySelection, refundLines, type Selection } from './refund/selection';
import { CARD_KEYS, CardScreen } from './screens/CardScreen';
import { DONE_KEYS, DoneScreen } from './screens/DoneScreen';
import { ENTRY_KEYS, EntryScreen } from './screens/EntryScreen';
import { HelpPanel } from './screens/HelpPanel';
import { JOURNAL_KEYS, JournalPanel } from './people/JournalPanel';
import { NO_RECEIPT_KEYS, NoReceiptScreen } from './screens/NoReceiptScreen';
import { useApproval } from './people/approval';
import { INSTALMENT_KEYS, InstalmentPanel } from './screens/InstalmentPanel';
import { printingKeys, PrintingScreen, type PrintingOutcome } from './screens/PrintingScreen';
import { RECENT_KEYS, RecentPanel } from './screens/RecentPanel';
import { SALE_KEYS, SaleScreen } from './screens/SaleScreen';
import { SEARCH_KEYS, SearchScreen } from './screens/SearchScreen';
import { SETTINGS_KEYS, SettingsPanel } from './screens/SettingsPanel';
import { SHIFT_KEYS, ShiftPanel } from './screens/ShiftPanel';
import { SUMMARY_KEYS, SummaryScreen } from './screens/SummaryScreen';
import { SYNC_KEYS, SyncPanel } from './screens/SyncPanel';

/** `progressText`: the progress line as main's code with values, when it sent one (i18n/mainTexts.ts). */
type Printing = { progress: string; progressText?: MainText; outcome: PrintingOutcome };
const FINAL_OK = new Set<Refund['state']>(['fiscalized', 'synced']);
const FINAL_STOP = new Set<Refund['state']>(['failed', 'review']);
const PENDING_POLL_MS = 2000;

const PANEL_KEYS: Record<Panel, readonly ShownKey[]> = {
  help: [], recent: RECENT_KEYS, instalments: INSTALMENT_KEYS, sync: SYNC_KEYS, shift: SHIFT_KEYS, settings: SETTINGS_KEYS, journal: JOURNAL_KEYS,
};
const STEP_KEYS: Record<Exclude<Step['name'], 'printing'>, readonly ShownKey[]> = {
  search: SEARCH_KEYS, sale: SALE_KEYS, summary: SUMMARY_KEYS, card: CARD_KEYS, done: DONE_KEYS,
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

/** A REGOS sale VCR answered without lines: the cashier types them from the paper receipt first. */
const needsEnteredLines = (sale: Sale) => sale.ref.source === 'regos' && sale.lines.length === 0;

const firstRefundable = (sale: Sale): Selection => ({ ...emptySelection, cursor: Math.max(0, sale.lines.findIndex((l) => l.refundableMilli > 0)) });

export function App() {
  const client = useCashier();
  const { status, error: statusError, refresh: refreshStatus } = useAppStatus();
  // App's own texts; the screens below read the same language from LocaleProvider.
  const t = useMemo(() => translator(status?.language ?? 'ru'), [status?.language]);
  const attention = useAttention();
  const [step, setStep] = useState<Step>({ name: 'search' });
  const [panel, setPanel] = useState<Panel | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload>();
  const [lastQuery, setLastQuery] = useState<string | null>(null);
  const [printing, setPrinting] = useState<Printing>({ progress: '', outcome: { kind: 'waiting' } });
  const [lastRefund, setLastRefund] = useState<Refund | null>(null);
  const reprint = useCall('refunds.reprint');
  const [reprintState, setReprintState] = useState<'idle' | 'printing' | 'done'>('idle');
  const [cancelError, setCancelError] = useState<ErrorPayload>();
  const [recovered, setRecovered] = useState<RecoveredRefund[]>([]);
  const [searchText, setSearchText] = useState(false);
  /** F2 starts the search over: a new field, empty (issue 19 point 2). */
  const [searchEpoch, setSearchEpoch] = useState(0);
  /** A panel whose keys depend on what it shows (an empty list offers no Enter) says so here. */
  const [panelKeys, setPanelKeys] = useState<{ panel: Panel; keys: readonly ShownKey[] } | null>(null);
  const onPanelKeys = useCallback((p: Panel, keys: readonly ShownKey[]) => setPanelKeys({ panel: p, keys }), []);
  const stepRef = useRef(step);
  /** The refund-without-a-receipt entry is open on the search screen (Ins, issue 14 point 5). */
  const [noReceipt, setNoReceipt] = useState(false);
  /** The reason typed for the pseudo-sale main made of those lines: sent with its confirm. */
  const noReceiptReason = useRef<{ saleId: string; reason: string } | null>(null);
  useLayoutEffect(() => {
    stepRef.current = step;
  }, [step]);

  const go = useCallback((next: Step) => {
    setError(undefined);
    setNoReceipt(false);
    setStep(next);
  }, []);

  const openSale = useCallback(async (lookup: Promise<CallResult<'sales.search'>>, query: string | null) => {
    setBusy(true);
    setPanel(null);
    const r = await lookup;
    setBusy(false);
    setLastQuery(query);
    if (!r.ok) {
      setStep({ name: 'search' });
      setError(r.error);
    } else if (r.value.kind === 'sale') {
      go({ name: 'sale', sale: r.value.sale, selection: firstRefundable(r.value.sale) });
    } else {
      go({ name: 'search', choices: { query: query ?? '', sales: r.value.sales } });
    }
  }, [go]);

  const search = useCallback((query: string) => void openSale(client.call('sales.search', { query }), query), [client, openSale]);
  const openRef = useCallback((ref: SaleRef) => void openSale(
    client.call('sales.get', { ref }).then((r): CallResult<'sales.search'> => (r.ok ? { ok: true, value: { kind: 'sale', sale: r.value } } : r)),
    null,
  ), [client, openSale]);

  const enterLines = useCallback(async (sale: Sale, lines: EnteredLine[], payment: 'cash' | 'card') => {
    setBusy(true);
    const r = await client.call('sales.enterLines', { ref: sale.ref, lines, payment });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    go({ name: 'sale', sale: r.value, selection: firstRefundable(r.value) });
  }, [client, go]);

  const acknowledge = useCallback((ids: string[]) => {
    setRecovered((list) => list.filter((r) => !ids.includes(r.id)));
    void client.call('refunds.acknowledge', { ids });
  }, [client]);

  // Settled by recovery with nobody watching: shown once, until "Понятно" (main/refunds/README.md).
  useEffect(() => {
    void client.call('refunds.recovered', {}).then((r) => r.ok && setRecovered(r.value));
  }, [client]);
  useEventListener('refund.recovered', (r) => {
    const s = stepRef.current;
    // The cashier is watching this very refund on the printing screen: that is the telling.
    if (s.name === 'printing' && s.refundId === r.id) return acknowledge([r.id]);
    setRecovered((list) => [...list.filter((x) => x.id !== r.id), r]);
  });

  const finish = useCallback((refund: Refund) => {
    setCancelError(undefined);
    if (FINAL_OK.has(refund.state)) {
      setLastRefund(refund);
      setReprintState('idle');
      go({ name: 'done', refund });
      refreshStatus();
    } else if (FINAL_STOP.has(refund.state)) {
      setPrinting((p) => ({ ...p, outcome: { kind: 'stopped', refund } }));
    } else {
      // Pending is not done: the screen says so, and what the cashier does now.
      setPrinting((p) => ({
        ...(isPendingRefund(refund.state) && refund.reason ? { progress: refund.reason, progressText: refund.reasonText } : { progress: p.progress, progressText: p.progressText }),
        outcome: { kind: 'pending', refund },
      }));
    }
  }, [go, refreshStatus]);

  // A refund above the store's limit waits for a manager's PIN, asked on the printing screen (issue 14).
  const approval = useApproval();
  const confirm = useCallback(async (s: Extract<Step, { name: 'summary' | 'card' | 'printing' }>, rrns: Record<string, string>) => {
    const next: Step = { ...s, name: 'printing', rrns };
    go(next);
    setPrinting({ progress: t('app.printingReceipt'), outcome: { kind: 'waiting' } });
    const r = await approval.run(s.sale.number, (approvalId) => client.call('refunds.confirm', {
      refundId: s.refundId, sale: s.sale.ref, lines: refundLines(s.selection, s.sale.lines), cardRrns: rrns, ...(approvalId ? { approvalId } : {}),
      ...(noReceiptReason.current?.saleId === s.sale.ref.id ? { reason: noReceiptReason.current.reason } : {}),
    }));
    if (stepRef.current.name !== 'printing') return;
    if (r.ok) finish(r.value);
    else setPrinting((p) => ({ ...p, outcome: { kind: 'error', error: r.error } }));
  }, [approval, client, finish, go, t]);

  const toSummary = useCallback(async (s: Extract<Step, { name: 'sale' }>) => {
    const lines = refundLines(s.selection, s.sale.lines);
    if (lines.length === 0) {
      setStep({ ...s, selection: { ...s.selection, notice: t('sale.pickFirst') } });
      return;
    }
    setBusy(true);
    const r = await client.call('refunds.preview', { sale: s.sale.ref, lines });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    go({ name: 'summary', sale: s.sale, selection: s.selection, preview: r.value, refundId: crypto.randomUUID(), rrns: {} });
  }, [client, go, t]);

  // The typed lines become main's pseudo-sale, refunded whole: straight to the summary.
  const withoutReceipt = useCallback(async (lines: ManualLine[], payment: 'cash' | 'card', reason: string) => {
    setBusy(true);
    const r = await client.call('refunds.withoutReceipt', { lines, payment });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    noReceiptReason.current = { saleId: r.value.ref.id, reason };
    const quantities = Object.fromEntries(r.value.lines.map((l) => [l.lineId, l.refundableMilli]));
    void toSummary({ name: 'sale', sale: r.value, selection: { ...emptySelection, quantities } });
  }, [client, toSummary]);

  // The saga reports each state; a receipt held up by the printer finishes after the confirm call returned.
  useEventListener('refund.progress', (p) => {
    const s = stepRef.current;
    if (s.name !== 'printing' || p.refundId !== s.refundId) return;
    setPrinting((prev) => ({ ...prev, progress: p.message, progressText: p.text }));
    if (FINAL_OK.has(p.state) || FINAL_STOP.has(p.state)) {
      void client.call('refunds.get', { id: s.refundId }).then((r) => r.ok && stepRef.current.name === 'printing' && finish(r.value));
    }
  });

  const pending = step.name === 'printing' && printing.outcome.kind === 'pending';
  const pendingId = step.name === 'printing' ? step.refundId : null;
  useEffect(() => {
    if (!pending || !pendingId) return;
    // Events can be missed across a reconnect: ask now and then as well, with a bound per request.
    const timer = setInterval(() => {
      void client.call('refunds.get', { id: pendingId }).then((r) => r.ok && stepRef.current.name === 'printing' && finish(r.value));
    }, PENDING_POLL_MS);
    return () => clearInterval(timer);
  }, [pending, pendingId, client, finish]);

  const cancelRefund = useCallback(async (refund: Refund) => {
    const r = await client.call('refunds.cancel', { id: refund.id });
    if (stepRef.current.name !== 'printing') return;
    if (r.ok) finish(r.value);
    else setCancelError(r.error);
  }, [client, finish]);

  const doReprint = useCallback((refund: Refund) => {
    setReprintState('printing');
    void reprint.run({ id: refund.id }).then((r) => setReprintState(r.ok ? 'done' : 'idle'));
  }, [reprint]);

  const hasChoices = step.name === 'search' && step.choices !== undefined;
  const keySituation: KeySituation = useMemo(() => ({
    panel,
    step: step.name,
    searchHasContent: step.name === 'search' && (searchText || error !== undefined || hasChoices || noReceipt),
    recovered: recovered.length > 0,
    printing: step.name === 'printing' ? printing.outcome.kind : null,
    canReprint: step.name === 'done' || lastRefund !== null,
    regosOnly: status?.till === 'regosOnly',
  }), [panel, step.name, searchText, error, hasChoices, noReceipt, recovered.length, printing.outcome.kind, lastRefund, status?.till]);

  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (document.activeElement === document.body) focusPrimary();
      if (e.defaultPrevented) return;
      if (e.key === 'Tab' && !e.ctrlKey && !e.altKey) {
        const layer = document.querySelector<HTMLElement>('.layer-active');
        if (!layer) return;
        e.preventDefault();
        tabInside(layer, e.shiftKey, document.activeElement);
        return;
      }
      // A REGOS-only till refunds only sales VCR knows (main/refunds/README.md, "Refund without a receipt").
      if (e.key === 'Insert' && !panel && stepRef.current.name === 'search' && !keySituation.regosOnly) {
        e.preventDefault();
        setError(undefined);
        setNoReceipt(true);
        return;
      }
      const action = globalActionFor(e);
      if (!action) return;
      e.preventDefault();
      const s = stepRef.current;
      const printingNow = s.name === 'printing';
      if (!globalKeyActs(action, keySituation)) return;
      switch (action) {
        case 'help': case 'shift': case 'sync': case 'recent': case 'settings': case 'instalments': case 'journal':
          setPanel((p) => (p === action ? null : action));
          return;
        case 'search':
          setPanel(null);
          setSearchEpoch((n) => n + 1);
          go({ name: 'search' });
          return;
        case 'reprint': {
          const refund = s.name === 'done' ? s.refund : lastRefund;
          if (refund) doReprint(refund);
          return;
        }
        case 'back': {
          if (panel) return setPanel(null);
          if (s.name === 'search' && recovered.length > 0) return acknowledge(recovered.map((r) => r.id));
          // On the search screen Esc clears what the last search left: its error or its pick list.
          if (s.name === 'search') return go({ name: 'search' });
          const settled = printing.outcome.kind === 'error' || printing.outcome.kind === 'stopped';
          // A pending refund finishes by itself; what it comes to is shown once on any screen.
          if (printingNow && (printing.outcome.kind === 'stopped' || printing.outcome.kind === 'pending')) return go({ name: 'search' });
          const prev = stepBack(s, settled);
          if (prev) go(prev);
        }
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [acknowledge, doReprint, go, keySituation, lastRefund, panel, printing.outcome.kind, recovered]);

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

  const choices = step.name === 'search' ? step.choices : undefined;
  useEffect(focusPrimary, [panel, step.name, busy, choices]);
  // Focus that falls to the page body (a field that went away, a click on empty space) comes back to
  // the screen's primary control, so some focus is always visible (issue 19 point 7).
  useEffect(() => {
    const onFocusOut = (e: FocusEvent) => {
      if (e.relatedTarget === null) requestAnimationFrame(() => document.activeElement === document.body && focusPrimary());
    };
    document.addEventListener('focusout', onFocusOut);
    return () => document.removeEventListener('focusout', onFocusOut);
  }, []);

  const blockReason = 'sale' in step ? refundBlockReason(step.sale, status, t) : null;

  /** The keys of what is on screen now: only those that act (issue 19 point 2). */
  const localKeys = (): readonly ShownKey[] => {
    if (panel) return panelKeys?.panel === panel ? panelKeys.keys : PANEL_KEYS[panel];
    switch (step.name) {
      case 'sale': return needsEnteredLines(step.sale) ? ENTRY_KEYS : SALE_KEYS;
      case 'printing': return printingKeys(printing.outcome);
      case 'search':
        if (noReceipt) return NO_RECEIPT_KEYS;
        return SEARCH_KEYS.filter((k) => (step.choices || k.key !== '↑↓') && (!keySituation.regosOnly || k.key !== 'Insert'));
      case 'summary': return blockReason ? SUMMARY_KEYS.map((k) => (k.key === 'Enter' ? { ...k, disabled: blockReason } : k)) : SUMMARY_KEYS;
      default: return STEP_KEYS[step.name];
    }
  };

  return (
    <LocaleProvider language={status?.language ?? 'ru'} timeZone={status?.timeZone}>
    <div className="app">
      <StatusHeader status={status} error={statusError} attention={attention} />
      <RecoveredRefunds refunds={recovered} onAcknowledge={acknowledge} />
      <main className={`flow${panel ? '' : ' layer-active'}`} inert={panel !== null} aria-label={t('app.refundRegion')}>
        {step.name === 'search' && noReceipt && (
          <NoReceiptScreen currency={status?.currency ?? 'RUB'} busy={busy} error={error} onDone={(lines, payment, reason) => void withoutReceipt(lines, payment, reason)} />
        )}
        {step.name === 'search' && !noReceipt && (
          <SearchScreen key={searchEpoch} busy={busy} error={error} lastQuery={lastQuery} choices={step.choices ?? null} onSearch={search} onOpen={openRef} onText={setSearchText} />
        )}
        {step.name === 'sale' && needsEnteredLines(step.sale) && (
          <EntryScreen sale={step.sale} busy={busy} error={error} onDone={(lines, payment) => void enterLines(step.sale, lines, payment)} />
        )}
        {step.name === 'sale' && !needsEnteredLines(step.sale) && (
          <SaleScreen
            sale={step.sale}
            selection={step.selection}
            blockReason={blockReason}
            notices={saleNotices(step.sale, status, status?.language ?? 'ru', t)}
            busy={busy}
            error={error}
            onSelection={(selection) => setStep({ ...step, selection })}
            onConfirm={() => { if (!blockReason) void toSummary(step); }}
            onScan={search}
          />
        )}
        {step.name === 'sale' && !needsEnteredLines(step.sale) && <RecoveredReceipts sale={step.sale} onSale={(sale) => setStep({ ...step, sale })} />}
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
            saleRrns={step.sale.payments.flatMap((p) => (p.rrn ? [p.rrn] : []))}
            salePayments={step.sale.payments}
            rrns={step.rrns}
            onRrns={(rrns) => setStep({ ...step, rrns })}
            onDone={(rrns) => void confirm(step, rrns)}
          />
        )}
        {step.name === 'printing' && (
          <PrintingScreen
            progress={printing.progress}
            progressText={printing.progressText}
            printer={status?.printer}
            outcome={printing.outcome}
            cancelError={cancelError}
            onRetry={() => void confirm(step, step.rrns)}
            onCancel={(refund) => void cancelRefund(refund)}
            onAgain={() => go({ ...step, name: 'summary', refundId: crypto.randomUUID() })}
          />
        )}
        {step.name === 'done' && (
          <DoneScreen refund={step.refund} busy={busy} reprint={reprintState} error={reprint.error ?? error} onSearch={search} />
        )}
      </main>
      {panel && (
        <div className="panel-layer layer-active" role="dialog" aria-modal="true" aria-label={t('app.panelRegion')}>
          {panel === 'help' && <HelpPanel />}
          {panel === 'recent' && <RecentPanel onOpen={openRef} timeZone={status?.timeZone} onKeys={onPanelKeys} />}
          {panel === 'instalments' && <InstalmentPanel onKeys={onPanelKeys} />}
          {panel === 'sync' && <SyncPanel onKeys={onPanelKeys} />}
          {panel === 'shift' && <ShiftPanel onChanged={refreshStatus} />}
          {panel === 'settings' && <SettingsPanel onSaved={refreshStatus} />}
          {panel === 'journal' && <JournalPanel />}
        </div>
      )}
      {approval.dialog}
      <KeyBar local={localKeys()} global={functionKeysFor(keySituation)} />
    </div>
    </LocaleProvider>
  );
}
