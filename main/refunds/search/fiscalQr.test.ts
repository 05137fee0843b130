import { describe, expect, it } from 'vitest';
import { switchLayout } from './keyboardLayout';
import { parseFiscalQr, sameRegosReceipt, type RegosQr } from './fiscalQr';

describe('fiscal QR of a Russian receipt (54-ФЗ)', () => {
  it('reads a register\'s QR string (pastebin.com/uQN7skvj)', () => {
    expect(parseFiscalQr('t=20180717T0904&s=1000.00&fn=9999999999999242&i=33647&fp=2124438805&n=1')).toEqual({
      kind: 'ruFiscal', dateTime: '2018-07-17T09:04', totalMinor: 100_000, fn: '9999999999999242', fd: '33647', fp: '2124438805', operation: 1,
    });
  });

  it('takes seconds, a total without kopecks, any order of fields', () => {
    expect(parseFiscalQr('fn=7280440700326597&i=30020&fp=2397484188&n=1&t=20240115T123005&s=365')).toMatchObject({
      dateTime: '2024-01-15T12:30:05', totalMinor: 36_500, fn: '7280440700326597', fd: '30020', fp: '2397484188',
    });
    expect(parseFiscalQr('t=20240115T1230&s=583.8&fn=7280440500224406&i=1217&fp=4196509436&n=1')).toMatchObject({ totalMinor: 58_380 });
  });

  it('reads the string a scanner typed with the Russian layout active', () => {
    const typed = switchLayout('t=20240115T1230&s=583.80&fn=7280440500224406&i=1217&fp=4196509436&n=1');
    expect(typed).toBe('е=20240115Е1230?ы=583ю80?ат=7280440500224406?ш=1217?аз=4196509436?т=1');
    expect(parseFiscalQr(typed)).toMatchObject({ kind: 'ruFiscal', totalMinor: 58_380, fd: '1217' });
  });

  it('refuses what is not a receipt QR', () => {
    for (const bad of [
      'А-1001', '4607001234567', 't=20240115T1230&s=583.80&fn=728044050022440&i=1217&fp=4196509436&n=1', // ФН of 15 digits
      't=20241315T1230&s=583.80&fn=7280440500224406&i=1217&fp=4196509436&n=1', // month 13
      't=20240115T1230&s=583.801&fn=7280440500224406&i=1217&fp=4196509436&n=1', // three decimals
      't=20240115T1230&s=583.80&fn=7280440500224406&i=1217&fp=4196509436&n=5', // no such operation
      't=20240115T1230&s=583.80&fn=7280440500224406&i=1217&i=1218&fp=4196509436&n=1', // repeated field
      't=20240115T1230&s=583.80&fn=7280440500224406&fp=4196509436&n=1', // no ФД
    ]) expect(parseFiscalQr(bad), bad).toBeNull();
  });
});

describe('REGOS receipt QR (QRCodeURL)', () => {
  const seed002 = 'https://ofd.soliq.uz/check?t=UZ210108170541&r=20&c=20220531161950&s=345411154513';

  it('reads seed 002\'s refund_info QRCodeURL', () => {
    expect(parseFiscalQr(seed002)).toEqual({
      kind: 'regos', url: seed002, terminalId: 'UZ210108170541', receiptNo: '20', dateTime: '2022-05-31 16:19:50', fiscalSign: '345411154513',
    });
  });

  it('keeps a code whose c is not a real date (docs.regos.uz Receipt.FullRefund example), without a date', () => {
    const docs = 'https://ofd.soliq.uz/check?t=UZ214521365841&r=20&c=20226521482150&s=345563214513';
    const qr = parseFiscalQr(docs) as RegosQr;
    expect(qr).toMatchObject({ kind: 'regos', receiptNo: '20', url: docs });
    expect(qr.dateTime).toBeUndefined();
  });

  it('reads it typed with the Russian layout active', () => {
    const typed = switchLayout(seed002);
    expect(typed.startsWith('реезыЖ')).toBe(true);
    expect(parseFiscalQr(typed)).toMatchObject({ kind: 'regos', url: seed002, receiptNo: '20' });
  });

  it('two spellings of one receipt are the same receipt', () => {
    const a = parseFiscalQr(seed002) as RegosQr;
    const b = parseFiscalQr('http://ofd.soliq.uz/check?s=345411154513&r=020&c=20220531161950&t=uz210108170541') as RegosQr;
    expect(sameRegosReceipt(a, b)).toBe(true);
    expect(sameRegosReceipt(a, parseFiscalQr(seed002.replace('r=20', 'r=21')) as RegosQr)).toBe(false);
  });

  it('refuses other sites and broken codes', () => {
    for (const bad of [
      'https://example.com/check?t=UZ210108170541&r=20&c=20220531161950&s=345411154513',
      'https://ofd.soliq.uz/check?t=UZ210108170541&c=20220531161950&s=345411154513',
      'https://ofd.soliq.uz/check?t=210108170541&r=20&c=20220531161950&s=345411154513',
      'ofd.soliq.uz/check?t=UZ210108170541&r=20',
    ]) expect(parseFiscalQr(bad), bad).toBeNull();
  });
});
