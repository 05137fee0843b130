import { describe, expect, it } from 'vitest';
import { functionKeysFor, globalKeyActs, type KeySituation } from './keyBar';

const idle: KeySituation = { panel: null, step: 'search', searchHasContent: false, recovered: false, printing: null, canReprint: false };
const keys = (s: KeySituation) => functionKeysFor(s).map((k) => k.key);

describe('key bar', () => {
  it('an empty search screen shows no F2, F8 or Esc: they would do nothing there', () => {
    expect(keys(idle)).toEqual(['F1', 'F3', 'F4', 'F6', 'F7', 'F9', 'F10']);
  });

  it('Esc clears a search screen with text, and F2 starts over from it', () => {
    const s = { ...idle, searchHasContent: true };
    expect(keys(s)).toEqual(['F1', 'F2', 'F3', 'F4', 'F6', 'F7', 'F9', 'F10', 'Esc']);
    expect(functionKeysFor(s).find((k) => k.key === 'Esc')?.label).toBe('keys.clear');
    expect(functionKeysFor({ ...idle, recovered: true }).find((k) => k.key === 'Esc')?.label).toBe('common.understood');
    expect(functionKeysFor({ ...idle, panel: 'help' }).find((k) => k.key === 'Esc')?.label).toBe('keys.close');
  });

  it('a REGOS-only till has no printer shift: no F3 in the bar, and F3 does nothing (issue 15)', () => {
    expect(keys({ ...idle, regosOnly: true })).not.toContain('F3');
    expect(globalKeyActs('shift', { ...idle, regosOnly: true })).toBe(false);
  });

  it('F8 only once a refund was printed in this session', () => {
    expect(globalKeyActs('reprint', idle)).toBe(false);
    expect(globalKeyActs('reprint', { ...idle, canReprint: true })).toBe(true);
  });

  it('while a receipt prints (or waits for paper) only help and the sync view are offered', () => {
    const s: KeySituation = { ...idle, step: 'printing', printing: 'waiting', canReprint: true };
    expect(keys(s)).toEqual(['F1', 'F4']);
    for (const a of ['search', 'shift', 'back', 'reprint', 'settings'] as const) expect(globalKeyActs(a, s)).toBe(false);
    // Once it stopped or waits on its own, the cashier may leave and use the panels again.
    expect(keys({ ...s, printing: 'pending' })).toContain('Esc');
    expect(keys({ ...s, printing: 'stopped' })).toContain('F3');
  });
});
