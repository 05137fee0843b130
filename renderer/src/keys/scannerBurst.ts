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
