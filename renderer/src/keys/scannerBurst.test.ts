import { describe, expect, it } from 'vitest';
import { noBurst, scannedKey, trackKey, type BurstState } from './scannerBurst';

/** Keys as a wedge scanner or a person sends them: each with its own time. */
function feed(keys: readonly string[], gapMs: number, start = 1000): { state: BurstState; scanned: (string | null)[] } {
  let state = noBurst;
  const scanned: (string | null)[] = [];
  keys.forEach((key, i) => {
    const r = trackKey(state, key, start + i * gapMs);
    state = r.state;
    scanned.push(r.scanned);
  });
  return { state, scanned };
}

describe('scanner burst detector', () => {
  it('a receipt number with a dash, 10 ms apart, ending with Enter, is one scan', () => {
    expect(feed([...'А-1001', 'Enter'], 10).scanned.at(-1)).toBe('А-1001');
  });

  it('a fiscal QR string (with & and =) is one scan', () => {
    const qr = 't=20240115T1230&s=583.80&fn=7280440500224406&i=1217&fp=4196509436&n=1';
    expect(feed([...qr, 'Enter'], 8).scanned.at(-1)).toBe(qr);
  });

  it('a person typing 1, 0, Enter is not a scan', () => {
    expect(feed(['1', '0', 'Enter'], 150).scanned).toEqual([null, null, null]);
    expect(feed([...'4600000000017', 'Enter'], 120).scanned.at(-1)).toBeNull();
  });

  it('a short fast run (two keys) is not a scan', () => {
    expect(feed(['-', '-', 'Enter'], 5).scanned.at(-1)).toBeNull();
  });

  it('a pause inside starts a new run: only the keys after it count', () => {
    let state = feed([...'12'], 10).state;
    for (const [i, key] of [...'4600000000017'].entries()) state = trackKey(state, key, 5000 + i * 10).state;
    expect(trackKey(state, 'Enter', 5000 + 13 * 10).scanned).toBe('4600000000017');
  });

  it('an arrow key in between ends the run', () => {
    const { state } = feed([...'460000', 'ArrowDown', ...'0000017'], 10);
    expect(state.chars).toBe('0000017');
  });

  it('Ctrl+] from a wedge scanner is the GS1 separator inside a marking code; a plain ] stays itself', () => {
    const keys = [...'0104607053470016215aB7kQ'].map((key) => ({ key, ctrlKey: false })).concat({ key: ']', ctrlKey: true }, ...[...'93dGVz'].map((key) => ({ key, ctrlKey: false })));
    const { state } = feed(keys.map(scannedKey), 10);
    expect(state.chars).toBe('0104607053470016215aB7kQ\u001d93dGVz');
    expect(scannedKey({ key: ']', ctrlKey: false })).toBe(']');
  });
});
