import { describe, expect, it } from 'vitest';
import { parseFiscalQr, qrNamesSale, rubles, sameRegosReceipt, type RegosQr, type RuFiscalQr } from './fiscalQr';

/**
 * What decides which recorded sale a scanned receipt QR refunds (issue 11 point 7): the parser's refusals,
 * the leading zeros a register prints, and qrNamesSale's comparison of a QR with this till's record.
 */

const RU = 't=20240115T1230&s=583.80&fn=7280440500224406&i=1217&fp=4196509436&n=1';
const ru = (fields: Record<string, string>): string => {
  const p = new URLSearchParams(RU);
  for (const [k, v] of Object.entries(fields)) p.set(k, v);
  return decodeURIComponent(p.toString());
};
const REGOS = 'https://ofd.soliq.uz/check?t=UZ210108170541&r=20&c=20220531161950&s=345411154513';
const regos = (fields: Record<string, string>): string => {
  const u = new URL(REGOS);
  for (const [k, v] of Object.entries(fields)) u.searchParams.set(k, v);
  return u.toString();
};

describe('Russian receipt QR: what is refused', () => {
  it('a field without "=" or with an empty name', () => {
    expect(parseFiscalQr(`${RU}&x`)).toBeNull();
    expect(parseFiscalQr(`${RU}&=5`)).toBeNull();
  });

  it('ФН, ФД and ФП with a letter before or after the digits, or too many digits', () => {
    for (const bad of [
      ru({ fn: 'x7280440500224406' }), ru({ fn: '7280440500224406x' }), ru({ fn: '72804405002244061' }),
      ru({ i: 'x1217' }), ru({ i: '1217x' }), ru({ i: '12345678901' }),
      ru({ fp: 'x4196509436' }), ru({ fp: '4196509436x' }), ru({ fp: '41965094361' }),
    ]) expect(parseFiscalQr(bad), bad).toBeNull();
  });

  it('a date that does not exist: day 32, year 0050 (Date.UTC would read it as 1950)', () => {
    expect(parseFiscalQr(ru({ t: '20240132T1230' }))).toBeNull();
    expect(parseFiscalQr(ru({ t: '00500115T1230' }))).toBeNull();
  });
});

describe('Russian receipt QR: what is read', () => {
  it('a code the scanner ended with CR LF or began with a space', () => {
    expect(parseFiscalQr(` ${RU}\r\n`)).toMatchObject({ kind: 'ruFiscal', fd: '1217', totalMinor: 58_380 });
  });

  it('ФД and ФП printed with leading zeros are the numbers without them; a ФД of zeros is 0', () => {
    expect(parseFiscalQr(ru({ i: '00001217', fp: '0096509436' }))).toMatchObject({ fd: '1217', fp: '96509436' });
    expect(parseFiscalQr(ru({ i: '1007', fp: '1000' }))).toMatchObject({ fd: '1007', fp: '1000' });
    expect(parseFiscalQr(ru({ i: '000', fp: '0' }))).toMatchObject({ fd: '0', fp: '0' });
  });
});

describe('REGOS receipt QR: what is refused and read', () => {
  it('another scheme, and terminal, receipt number or fiscal sign with something before or after', () => {
    for (const bad of [
      REGOS.replace('https:', 'xhttps:'),
      regos({ t: 'XUZ210108170541' }), regos({ t: 'UZ210108170541X' }),
      regos({ r: 'x20' }), regos({ r: '20x' }),
      regos({ s: 'x345411154513' }), regos({ s: '345411154513x' }),
    ]) expect(parseFiscalQr(bad), bad).toBeNull();
  });

  it('keeps the URL as printed without the scanner\'s line end', () => {
    expect(parseFiscalQr(`${REGOS}\r\n`)).toMatchObject({ kind: 'regos', url: REGOS });
  });

  it('a receipt number printed with leading zeros is the number without them, inner zeros kept', () => {
    expect(parseFiscalQr(regos({ r: '0020' }))).toMatchObject({ receiptNo: '20' });
    expect(parseFiscalQr(regos({ r: '1005' }))).toMatchObject({ receiptNo: '1005' });
  });

  it('another terminal or another fiscal sign is another receipt', () => {
    const a = parseFiscalQr(REGOS) as RegosQr;
    expect(sameRegosReceipt(a, parseFiscalQr(regos({ t: 'UZ210108170542' })) as RegosQr)).toBe(false);
    expect(sameRegosReceipt(a, parseFiscalQr(regos({ s: '345411154514' })) as RegosQr)).toBe(false);
  });
});

describe('qrNamesSale: is this recorded sale the receipt the QR names', () => {
  const ruQr = parseFiscalQr(RU) as RuFiscalQr;
  const regosQr = parseFiscalQr(REGOS) as RegosQr;
  const sale = (fiscal?: Record<string, string>, totalMinor = 58_380) => ({ totalMinor, ...(fiscal ? { fiscal } : {}) });

  it('a sale without fiscal data is never the receipt', () => {
    expect(qrNamesSale(ruQr, sale())).toBe(false);
    expect(qrNamesSale(regosQr, sale())).toBe(false);
  });

  it('Russian QR: the same ФД (leading zeros aside) and the same total, both needed', () => {
    expect(qrNamesSale(ruQr, sale({ documentNumber: '1217' }))).toBe(true);
    expect(qrNamesSale(ruQr, sale({ documentNumber: '001217' }))).toBe(true);
    expect(qrNamesSale(ruQr, sale({ documentNumber: '1218' }))).toBe(false);
    expect(qrNamesSale(ruQr, sale({ documentNumber: '1217' }, 58_381))).toBe(false);
    expect(qrNamesSale(ruQr, sale({ documentNumber: '10217' }))).toBe(false);
    const fd1007 = parseFiscalQr(ru({ i: '1007' })) as RuFiscalQr;
    expect(qrNamesSale(fd1007, sale({ documentNumber: '1007' }))).toBe(true);
  });

  it('REGOS QR against the sale\'s recorded QR URL: the same receipt even with no other field recorded', () => {
    const recorded = 'http://ofd.soliq.uz/check?s=345411154513&r=020&c=20220531161950&t=uz210108170541';
    expect(qrNamesSale(regosQr, sale({ qrCodeUrl: recorded }))).toBe(true);
    expect(qrNamesSale(regosQr, sale({ qrCodeUrl: regos({ r: '21' }), terminalId: 'UZ210108170541', documentNumber: '20' }))).toBe(false);
  });

  it('REGOS QR against the recorded terminal, receipt number and fiscal sign when no QR URL is recorded', () => {
    const fields = { terminalId: 'UZ210108170541', documentNumber: '20', fiscalSign: '345411154513' };
    expect(qrNamesSale(regosQr, sale(fields))).toBe(true);
    expect(qrNamesSale(regosQr, sale({ ...fields, terminalId: 'uz210108170541', documentNumber: '0020' }))).toBe(true);
    expect(qrNamesSale(regosQr, sale({ terminalId: fields.terminalId, documentNumber: '20' }))).toBe(true);
    expect(qrNamesSale(regosQr, sale({ ...fields, fiscalSign: '345411154514' }))).toBe(false);
    expect(qrNamesSale(regosQr, sale({ ...fields, terminalId: 'UZ210108170542' }))).toBe(false);
    expect(qrNamesSale(regosQr, sale({ ...fields, documentNumber: '21' }))).toBe(false);
    expect(qrNamesSale(regosQr, sale({ documentNumber: '20', fiscalSign: '345411154513' }))).toBe(false);
  });
});

describe('rubles: a QR total in the cashier\'s message', () => {
  it('groups thousands with a no-break space and always shows two kopeck digits', () => {
    expect(rubles(123_456_789)).toBe('1\u00a0234\u00a0567,89 ₽');
    expect(rubles(100_000)).toBe('1\u00a0000,00 ₽');
    expect(rubles(58_380)).toBe('583,80 ₽');
    expect(rubles(5)).toBe('0,05 ₽');
  });
});
