import { describe, expect, it } from 'vitest';
import { isAppError } from '../../appError';
import { decodeAnswer, fnCloseReceiptV2, fnFindDocument, fnOperationV2, fnStatus, requestPayload, shortStatus } from './commands';
import { describeDeviceError, deviceError, knownDeviceErrorCodes } from './errors';
import { fnDateTime } from './binary';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('command encoders', () => {
  it('short status request is the published 0x10 payload', () => {
    expect(requestPayload(shortStatus(30))).toEqual(hex('10 1E 00 00 00'));
  });

  it('FF46 puts every field where the layout says, name in CP1251', () => {
    const p = requestPayload(
      fnOperationV2(30, { operation: 2, quantityMicro: 1_500_000, priceMinor: 12_345, amountMinor: 18_518, taxRate: 0x02, paymentMethod: 4, itemSign: 1, name: 'Хлеб' }),
    );
    expect(p.subarray(0, 2)).toEqual(hex('FF 46'));
    expect(p.readUInt32LE(2)).toBe(30);
    expect(p[6]).toBe(2);
    expect(p.readUIntLE(7, 6)).toBe(1_500_000);
    expect(p.readUIntLE(13, 5)).toBe(12_345);
    expect(p.readUIntLE(18, 5)).toBe(18_518);
    expect(p.subarray(23, 28)).toEqual(hex('FF FF FF FF FF'));
    expect([...p.subarray(28, 32)]).toEqual([0x02, 1, 4, 1]);
    expect(p.subarray(32)).toEqual(hex('D5 EB E5 E1'));
  });

  it('FF45 places cash, electronic, prepayment (slot 14) and credit (slot 15)', () => {
    const p = requestPayload(fnCloseReceiptV2(30, { cashMinor: 1, electronicMinor: 2, prepaymentMinor: 3, creditMinor: 4, taxSystem: 2 }));
    const slot = (i: number): number => p.readUIntLE(6 + i * 5, 5);
    expect([slot(0), slot(1), slot(13), slot(14), slot(15)]).toEqual([1, 2, 3, 4, 0]);
    expect(p[6 + 80 + 1 + 30]).toBe(2);
  });
});

describe('answer decoding', () => {
  it('decodes a short status (mode 8.2 = open return-of-sale receipt, 258 operations)', () => {
    const s = decodeAnswer(shortStatus(30), hex('10 00 1E 82 00 28 00 02 9B B4 00 00 01 00 00 00'));
    expect(s).toMatchObject({ operator: 30, flags: 0x82, mode: 8, modeStatus: 2, submode: 0, receiptOperations: 258 });
  });

  it('turns a device error byte into an AppError with a Russian message and the code', () => {
    const e = (() => {
      try {
        decodeAnswer(fnStatus(30), hex('FF 01 6B'));
      } catch (err) {
        return err;
      }
    })();
    expect(isAppError(e) && [e.code, e.deviceCode, e.retry]).toEqual(['FISCAL_PAPER_OUT', 0x6b, 'transient']);
  });

  it('a truncated answer is a protocol error with unknown outcome, not a crash', () => {
    const e = (() => {
      try {
        decodeAnswer(fnFindDocument(30, 5), hex('FF 0A 00 03 00 18 0B'));
      } catch (err) {
        return err;
      }
    })();
    expect(isAppError(e) && [e.code, e.retry]).toEqual(['FISCAL_PROTOCOL', 'unknown-outcome']);
  });

  it('an answer to another command is refused', () => {
    try {
      decodeAnswer(shortStatus(30), hex('11 00 1E'));
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.detail).toMatch(/carries code 0x11/);
    }
  });

  it('decodes FN date-time bytes', () => {
    expect(fnDateTime(hex('18 0B 1C 0F 27'))).toBe('2024-11-28T15:39:00');
  });
});

describe('error table', () => {
  it('every known code has a Russian cashier message, the vendor text for IT and a retry class', () => {
    for (const code of knownDeviceErrorCodes()) {
      const e = deviceError(code, 0xff46);
      expect(e.message).toMatch(/[А-Яа-яЁё]/);
      expect(e.detail).toContain('0xFF46');
      expect(e.deviceCode).toBe(code);
      expect(['transient', 'permanent', 'unknown-outcome']).toContain(e.retry);
    }
  });

  it('classifies the states a cashier meets', () => {
    expect(describeDeviceError(0x50).retry).toBe('transient');
    expect(describeDeviceError(0x4e).code).toBe('FISCAL_SHIFT_EXPIRED');
    expect(describeDeviceError(0x16).code).toBe('FISCAL_SHIFT_EXPIRED');
    expect(describeDeviceError(0x6b).code).toBe('FISCAL_PAPER_OUT');
    expect(describeDeviceError(0x03).code).toBe('FISCAL_FN_ERROR');
    expect(deviceError(0xfe, 0x10).message).toContain('254');
  });
});
