/**
 * A barcode scanner is a keyboard that types a whole code in a few milliseconds and ends with Enter;
 * a person types far slower. Telling them apart lets digits mean "quantity" to a cashier on the lines
 * screen while a scanned receipt number still starts a new search.
 * Thresholds: scanners in keyboard-wedge mode send a key every 5–20 ms; people rarely under 60 ms.
 */
export const SCAN_MIN_LENGTH = 6;
export const SCAN_MAX_GAP_MS = 40;

export function isScannerBurst(times: readonly number[], minLength = SCAN_MIN_LENGTH, maxGapMs = SCAN_MAX_GAP_MS): boolean {
  if (times.length < minLength) return false;
  for (let i = 1; i < times.length; i++) {
    const gap = (times[i] ?? 0) - (times[i - 1] ?? 0);
    if (gap > maxGapMs) return false;
  }
  return true;
}

/**
 * A wedge scanner set to send the GS1 group separator (ASCII 29) as its keyboard chord Ctrl+] arrives as
 * "]" with Ctrl held: that key is the separator of a marking code (preload/contract/markingCode.ts).
 */
export const scannedKey = (e: { key: string; ctrlKey: boolean }): string => (e.ctrlKey && e.key === ']' ? '\u001d' : e.key);

/** Printable keys seen so far in a possible scan; reset by a pause, a non-printable key or Enter. */
export interface BurstState {
  chars: string;
  times: readonly number[];
}
export const noBurst: BurstState = { chars: '', times: [] };

/**
 * Follows every key on the page. When an Enter ends a scanner burst, returns what was scanned, so a
 * scan that lands on a screen without a text field starts a search instead of pressing its Enter
 * (a scanned receipt must never confirm someone else's refund).
 */
export function trackKey(state: BurstState, key: string, time: number, maxGapMs = SCAN_MAX_GAP_MS): { state: BurstState; scanned: string | null } {
  if (key === 'Enter') {
    const scanned = isScannerBurst([...state.times, time], undefined, maxGapMs) ? state.chars : null;
    return { state: noBurst, scanned };
  }
  if (key.length !== 1) return { state: noBurst, scanned: null };
  const last = state.times.at(-1);
  if (last !== undefined && time - last > maxGapMs) return { state: { chars: key, times: [time] }, scanned: null };
  return { state: { chars: state.chars + key, times: [...state.times, time] }, scanned: null };
}
