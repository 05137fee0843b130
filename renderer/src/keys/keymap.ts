/**
 * The function keys: the same on every screen, always shown in the bar at the bottom. F5 and F12 are
 * left alone (reload and devtools in a browser kiosk); F-keys are never sent by a barcode scanner, so
 * they cannot collide with scanned digits.
 */
export type GlobalAction = 'help' | 'search' | 'shift' | 'sync' | 'recent' | 'instalments' | 'reprint' | 'settings' | 'journal' | 'back';

export interface KeyHint {
  key: string;
  /** A catalogue key (renderer/src/i18n/ru.ts): the key bar shows it in the till's language. */
  label: string;
}

export const FUNCTION_KEYS: ReadonlyArray<KeyHint & { action: GlobalAction }> = [
  { key: 'F1', label: 'key.help', action: 'help' },
  { key: 'F2', label: 'key.search', action: 'search' },
  { key: 'F3', label: 'key.shift', action: 'shift' },
  { key: 'F4', label: 'key.sync', action: 'sync' },
  { key: 'F6', label: 'key.recent', action: 'recent' },
  { key: 'F7', label: 'key.instalments', action: 'instalments' },
  { key: 'F8', label: 'key.reprint', action: 'reprint' },
  { key: 'F9', label: 'key.settings', action: 'settings' },
  { key: 'F10', label: 'key.journal', action: 'journal' },
  { key: 'Esc', label: 'key.back', action: 'back' },
];

export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
}

export function globalActionFor(e: KeyLike): GlobalAction | null {
  if (e.ctrlKey || e.altKey || e.metaKey) return null;
  const key = e.key === 'Escape' ? 'Esc' : e.key;
  return FUNCTION_KEYS.find((k) => k.key === key)?.action ?? null;
}

/** Keys of the sale-lines list. */
export type LineKey =
  | { kind: 'move'; by: number }
  | { kind: 'edge'; to: 'first' | 'last' }
  | { kind: 'toggle' }
  | { kind: 'step'; by: 1 | -1 }
  | { kind: 'all' }
  | { kind: 'type'; char: string }
  | { kind: 'erase' };

export const PAGE_ROWS = 10;

/** `pageRows`: how many rows Page Up/Down move (the sale screen passes what its list shows). */
export function lineKeyFor(e: KeyLike, pageRows: number = PAGE_ROWS): LineKey | null {
  if (e.ctrlKey || e.altKey || e.metaKey) return null;
  switch (e.key) {
    case 'ArrowUp': return { kind: 'move', by: -1 };
    case 'ArrowDown': return { kind: 'move', by: 1 };
    case 'PageUp': return { kind: 'move', by: -pageRows };
    case 'PageDown': return { kind: 'move', by: pageRows };
    case 'Home': return { kind: 'edge', to: 'first' };
    case 'End': return { kind: 'edge', to: 'last' };
    case ' ': return { kind: 'toggle' };
    case '+': return { kind: 'step', by: 1 };
    case '-': return { kind: 'step', by: -1 };
    case '*': return { kind: 'all' };
    case 'Backspace': return { kind: 'erase' };
    case ',': case '.': return { kind: 'type', char: ',' };
    default: return /^\d$/.test(e.key) ? { kind: 'type', char: e.key } : null;
  }
}
