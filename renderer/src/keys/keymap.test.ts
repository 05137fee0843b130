import { describe, expect, it } from 'vitest';
import { FUNCTION_KEYS, globalActionFor, lineKeyFor } from './keymap';
import { isScannerBurst, noBurst, trackKey } from './scannerBurst';

describe('function keys', () => {
  it('maps each shown key to its action, the same everywhere', () => {
    expect(globalActionFor({ key: 'F1' })).toBe('help');
    expect(globalActionFor({ key: 'F2' })).toBe('search');
    expect(globalActionFor({ key: 'F3' })).toBe('shift');
    expect(globalActionFor({ key: 'F4' })).toBe('sync');
    expect(globalActionFor({ key: 'F9' })).toBe('settings');
    expect(globalActionFor({ key: 'Escape' })).toBe('back');
  });

  it('leaves reload, devtools, digits and modified keys alone', () => {
    expect(globalActionFor({ key: 'F5' })).toBeNull();
    expect(globalActionFor({ key: 'F12' })).toBeNull();
    expect(globalActionFor({ key: '7' })).toBeNull();
    expect(globalActionFor({ key: 'F1', ctrlKey: true })).toBeNull();
  });

  it('has no key twice', () => {
    const keys = FUNCTION_KEYS.map((k) => k.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('lines keys', () => {
  it('moves, changes and types quantities', () => {
    expect(lineKeyFor({ key: 'ArrowDown' })).toEqual({ kind: 'move', by: 1 });
    expect(lineKeyFor({ key: 'PageUp' })).toEqual({ kind: 'move', by: -10 });
    expect(lineKeyFor({ key: 'PageDown' }, 17)).toEqual({ kind: 'move', by: 17 });
    expect(lineKeyFor({ key: ' ' })).toEqual({ kind: 'toggle' });
    expect(lineKeyFor({ key: '+' })).toEqual({ kind: 'step', by: 1 });
    expect(lineKeyFor({ key: '-' })).toEqual({ kind: 'step', by: -1 });
    expect(lineKeyFor({ key: '*' })).toEqual({ kind: 'all' });
    expect(lineKeyFor({ key: '4' })).toEqual({ kind: 'type', char: '4' });
    expect(lineKeyFor({ key: '.' })).toEqual({ kind: 'type', char: ',' });
    expect(lineKeyFor({ key: 'a' })).toBeNull();
  });
});

describe('scanner bursts', () => {
  it('recognises a fast run of keys as a scan', () => {
    expect(isScannerBurst([0, 8, 15, 24, 30, 41, 50])).toBe(true);
  });

  it('treats a person typing, or a short run, as typing', () => {
    expect(isScannerBurst([0, 120, 250, 390, 500, 640])).toBe(false);
    expect(isScannerBurst([0, 5, 10])).toBe(false);
    expect(isScannerBurst([0, 8, 15, 200, 210, 220, 230])).toBe(false);
  });
});

describe('scans landing outside a text field', () => {
  const feed = (keys: string, gap: number, enterGap = gap) => {
    let s = noBurst;
    let t = 0;
    for (const k of keys) s = trackKey(s, k, (t += gap)).state;
    return trackKey(s, 'Enter', t + enterGap).scanned;
  };

  it('returns the scanned code when Enter ends a fast burst', () => {
    expect(feed('4600000000017', 8)).toBe('4600000000017');
  });

  it('lets a person’s Enter through, even after typing digits', () => {
    expect(feed('12', 8)).toBeNull();
    expect(feed('123456', 150)).toBeNull();
    expect(feed('123456', 8, 500)).toBeNull();
  });

  it('starts over after a pause or a non-printable key', () => {
    let s = trackKey(noBurst, '9', 0).state;
    s = trackKey(s, '9', 1000).state;
    expect(s.chars).toBe('9');
    expect(trackKey(s, 'ArrowDown', 1005).state).toEqual(noBurst);
  });
});
