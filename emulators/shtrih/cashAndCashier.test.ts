import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { DEFAULT_PROCESSING, DeviceModel } from './deviceModel';
import { firmwareOf } from './firmware';
import { freshState } from './state';

/**
 * The emulated device's cash commands (0x28, 0x50, 0x51, 0x1A) and the cashier's tags on shift documents
 * (FF41/FF42 + FF0C), raw payloads as main/fiscal/shtrih/PROTOCOL.md §Cash and §Cashier lay them out.
 */
const PWD = [30, 0, 0, 0];
const device = () => new DeviceModel(freshState(), { password: 30, persist: () => undefined, processing: DEFAULT_PROCESSING, processingScale: 0, firmware: firmwareOf('2026'), replace20With22: 2 });
const run = (d: DeviceModel, bytes: number[]): number[] => [...d.execute(Buffer.from(bytes)).answer];
const le = (v: number, n: number): number[] => [...Buffer.from(Array.from({ length: n }, (_, i) => Math.floor(v / 256 ** i) % 256))];
const register = (d: DeviceModel, n: number): number => Buffer.from(run(d, [0x1a, ...PWD, n])).readUIntLE(3, 6);
const tlv = (tag: number, text: string): number[] => {
  const v = [...iconv.encode(text, 'win1251')];
  return [0xff, 0x0c, ...PWD, ...le(tag, 2), ...le(v.length, 2), ...v];
};

describe('cash commands of the emulated device', () => {
  it('0x50 and 0x51 move register 241 and answer operator + document number; a cash-out above the drawer is 0x46', () => {
    const d = device();
    expect(run(d, [0x50, ...PWD, ...le(150_000, 5)])).toEqual([0x50, 0x3d]); // shift closed
    run(d, [0xe0, ...PWD]);
    expect(run(d, [0x50, ...PWD, ...le(150_000, 5)])).toEqual([0x50, 0, 30, 1, 0]);
    expect(run(d, [0x51, ...PWD, ...le(50_000, 5)])).toEqual([0x51, 0, 30, 2, 0]);
    expect(register(d, 241)).toBe(100_000);
    expect(register(d, 242)).toBe(150_000);
    expect(register(d, 243)).toBe(50_000);
    expect(run(d, [0x51, ...PWD, ...le(100_001, 5)])).toEqual([0x51, 0x46]);
    expect(register(d, 241)).toBe(100_000);
    expect(run(d, [0x1a, ...PWD, 7])).toEqual([0x1a, 0x33]);
  });

  it('a refund receipt paid in cash takes its cash out of register 241; a Z report clears the shift registers only', () => {
    const d = device();
    run(d, [0xe0, ...PWD]);
    run(d, [0x50, ...PWD, ...le(1_000, 5)]);
    run(d, [0x8d, ...PWD, 2]);
    run(d, [0xff, 0x46, ...PWD, 2, 0x40, 0x42, 0x0f, 0, 0, 0, 100, 0, 0, 0, 0, ...Array(10).fill(0xff), 0x01, 1, 4, 1, 0x41]);
    const close = [0xff, 0x45, ...PWD, ...le(100, 5), ...Array(75).fill(0), 0, ...Array(30).fill(0), 1];
    expect(run(d, close).slice(0, 3)).toEqual([0xff, 0x45, 0]);
    expect(register(d, 241)).toBe(900);
    run(d, [0x41, ...PWD]);
    expect([register(d, 241), register(d, 242)]).toEqual([900, 0]);
  });

  it('0x28 opens drawer 0 or 1 in any mode, and refuses another number', () => {
    const d = device();
    expect(run(d, [0x28, ...PWD, 0])).toEqual([0x28, 0, 30]);
    expect(run(d, [0x28, ...PWD, 2])).toEqual([0x28, 0x33]);
    expect(d.drawerOpenings).toBe(1);
  });
});

describe("the cashier's tags on the emulated device", () => {
  it('FF41 + FF0C 1021/1203 before 0xE0 name the cashier on the open-shift document; FF42 does so for the Z report', () => {
    const d = device();
    expect(run(d, [0xff, 0x42, ...PWD])).toEqual([0xff, 0x42, 0x73]); // no shift to close
    expect(run(d, [0xff, 0x41, ...PWD])).toEqual([0xff, 0x41, 0]);
    run(d, tlv(1021, 'Иванова А.'));
    run(d, tlv(1203, '500100732259'));
    run(d, [0xe0, ...PWD]);
    expect(run(d, [0xff, 0x41, ...PWD])).toEqual([0xff, 0x41, 0x73]); // already open
    run(d, [0xff, 0x42, ...PWD]);
    run(d, tlv(1021, 'Петров Б.'));
    run(d, [0x41, ...PWD]);
    expect(d.documents.map((x) => [x.type, x.cashier, x.cashierInn])).toEqual([[2, 'Иванова А.', '500100732259'], [5, 'Петров Б.', undefined]]);
  });

  it('without FF41 the open-shift document keeps table 2\'s operator name and no INN', () => {
    const d = device();
    run(d, tlv(1203, '500100732259'));
    run(d, [0xe0, ...PWD]);
    expect(d.documents[0]).toMatchObject({ type: 2, cashier: 'СИС.АДМИН' });
    expect(d.documents[0]?.cashierInn).toBeUndefined();
  });
});
