import { describe, expect, it } from 'vitest';
import { NANO_MODEL, taxByteOfGroup } from './taxByte';

describe('Shtrih-M tax byte of a tax group', () => {
  it('FF46 tax byte: bit per group 1..6, 0x80|bit for 7..10, 0xC0+n on desktops and 0x90/0xA0 on the НАНО for 11/12', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((g) => taxByteOfGroup(g, 250))).toEqual([1, 2, 4, 8, 16, 32, 0x81, 0x82, 0x84, 0x88, 0xcb, 0xcc]);
    expect([11, 12].map((g) => taxByteOfGroup(g, NANO_MODEL))).toEqual([0x90, 0xa0]);
    expect(() => taxByteOfGroup(0, 250)).toThrow(RangeError);
  });
});
