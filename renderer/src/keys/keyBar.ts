import type { Panel, Step } from '../refund/flow';
import { FUNCTION_KEYS, type GlobalAction, type KeyHint } from './keymap';

/**
 * Which keys the bar shows now (issue 19 point 2): a key is shown only where pressing it changes
 * something the cashier sees. The App's key handler asks the same question, so the bar and the keys
 * cannot disagree.
 */
export interface ShownKey extends KeyHint {
  /** Shown but cannot act now: why, in the cashier's words (the bar's tooltip). */
  disabled?: string;
}

/** How the printing screen stands: waiting means a receipt is being printed (or waits for paper). */
export type PrintingNow = 'waiting' | 'error' | 'pending' | 'stopped' | null;

export interface KeySituation {
  panel: Panel | null;
  step: Step['name'];
  /** The search screen shows something Esc clears: typed text, a pick list, an error. */
  searchHasContent: boolean;
  /** Refunds settled by recovery wait for "Понятно" on the search screen. */
  recovered: boolean;
  printing: PrintingNow;
  /** A refund this session printed, for F8. */
  canReprint: boolean;
  /** A REGOS-only till (issue 15): no printer, so no shift panel (F3); VCR keeps its own shift. */
  regosOnly?: boolean;
}

/** Panels that use the printer or leave the refund: not while a receipt is printing. */
const NOT_WHILE_PRINTING: ReadonlySet<GlobalAction> = new Set(['search', 'shift', 'recent', 'instalments', 'reprint', 'settings', 'journal', 'back']);

export function globalKeyActs(action: GlobalAction, s: KeySituation): boolean {
  if (s.printing === 'waiting' && NOT_WHILE_PRINTING.has(action)) return false;
  if (action === 'shift' && s.regosOnly) return false;
  switch (action) {
    case 'help': case 'shift': case 'sync': case 'recent': case 'instalments': case 'settings': case 'journal':
      return true;
    case 'search':
      return s.panel !== null || s.step !== 'search' || s.searchHasContent;
    case 'reprint':
      return s.canReprint;
    case 'back':
      return s.panel !== null || s.step !== 'search' || s.searchHasContent || s.recovered;
  }
}

/** What Esc does here, said in the bar. */
function backLabel(s: KeySituation): string {
  if (s.panel !== null) return 'keys.close';
  if (s.step === 'search') return s.recovered ? 'common.understood' : 'keys.clear';
  return 'key.back';
}

export function functionKeysFor(s: KeySituation): ShownKey[] {
  return FUNCTION_KEYS.filter((k) => globalKeyActs(k.action, s)).map((k) => ({ key: k.key, label: k.action === 'back' ? backLabel(s) : k.label }));
}
