import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cp1251 } from './shtrih/binary';
import { MAX_NAME_BYTES, fiscalName } from './fiscalName';

describe('fiscalName: a name the device takes whole (tag 1030, 128 bytes in CP1251)', () => {
  it('keeps a name of up to 128 characters as it is (spaces tidied)', () => {
    expect(fiscalName('Молоко 3,2 %')).toBe('Молоко 3,2 %');
    expect(fiscalName('  Молоко   3,2 %\t')).toBe('Молоко 3,2 %');
    const exact = 'Ж'.repeat(128);
    expect(fiscalName(exact)).toBe(exact);
  });

  it('cuts a longer name to 127 characters and "…", 128 bytes on the wire', () => {
    const long = `Набор посуды ${'керамическойй'.repeat(20)}`;
    const cut = fiscalName(long);
    expect(cut.endsWith('…')).toBe(true);
    expect(cp1251(cut)).toHaveLength(MAX_NAME_BYTES);
    expect(long.startsWith(cut.slice(0, -1))).toBe(true);
  });

  it('never more than 128 bytes, whatever the characters (emoji, Uzbek letters CP1251 lacks)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 400 }), (s) => {
      expect(cp1251(fiscalName(s)).length).toBeLessThanOrEqual(MAX_NAME_BYTES);
    }), { numRuns: 300, seed: 20261201 });
    // An emoji is two bytes ("??"): 63 of them and "…", never half of one.
    expect(fiscalName('😀'.repeat(200))).toBe(`${'😀'.repeat(63)}…`);
  });
});
