import { describe, expect, it } from 'vitest';
import { GS, gtinOfBarcode, markingKey, normaliseScan, parseMarkingCode } from './markingCode';

/**
 * Real code strings from public examples (main/marking/README.md §Sources):
 * - DAIRY: Yandex Market partner API, `cis` field: "01030410947874432155Qbag!\u001d93Zjqw".
 * - SHOES: ATOL's libfptr10 example in gitverse.ru/sysadminrus/AtolPython kktfunc/checkdm.py (91/92 tail).
 * - TOBACCO: help.crpt-turon.uz "Tobacco Products: Marking Code": "04780101164394TF&csaNNW1kK0tL".
 */
const DAIRY = `01030410947874432155Qbag!${GS}93Zjqw`;
const SHOES = `014494550435306821QXYXSALGLMYQQ${GS}91EE06${GS}92YWCXbmK6SN8vvwoxZFk7WAY8WoJNMGGr6Cgtiuja04c=`;
const TOBACCO = '04780101164394TF&csaNNW1kK0tL';

describe('parseMarkingCode', () => {
  it('reads a dairy code with its 93 check group', () => {
    expect(parseMarkingCode(DAIRY)).toEqual({ full: DAIRY, gtin: '03041094787443', serial: '55Qbag!', key: '010304109478744321' + '55Qbag!', form: 'gs1' });
  });

  it('reads a code with 91 and 92 check groups', () => {
    const c = parseMarkingCode(SHOES);
    expect(c?.gtin).toBe('44945504353068');
    expect(c?.serial).toBe('QXYXSALGLMYQQ');
    expect(c?.full).toBe(SHOES);
  });

  it('reads the tobacco short form: GTIN, a 7-character serial, an 8-character check code', () => {
    expect(parseMarkingCode(TOBACCO)).toMatchObject({ gtin: '04780101164394', serial: 'TF&csaN', key: '04780101164394TF&csaN', form: 'tobaccoShort', full: TOBACCO });
  });

  it.each([
    ['the GS byte', DAIRY],
    ['<GS> text', DAIRY.replace(GS, '<GS>')],
    ['caret notation ^]', DAIRY.replace(GS, '^]')],
    ['escaped \\u001d copied from JSON', DAIRY.replace(GS, '\\u001d')],
    ['a dropped separator', DAIRY.replace(GS, '')],
    ['the AIM prefix ]d2 and a trailing Enter', `]d2${DAIRY}\r\n`],
    ['a leading FNC1 (ASCII 232)', `\u00e8${DAIRY}`],
  ])('gives one form for %s', (_how, scanned) => {
    expect(parseMarkingCode(scanned)?.full).toBe(DAIRY);
  });

  it('splits a 91/92 code whose separators the scanner dropped', () => {
    expect(parseMarkingCode(SHOES.split(GS).join(''))?.full).toBe(SHOES);
    expect(parseMarkingCode(SHOES.split(GS).join('<GS>'))?.full).toBe(SHOES);
  });

  it('refuses what is not a marking code', () => {
    expect(parseMarkingCode('4607053470016')).toBeNull();
    expect(parseMarkingCode('0104607053470016')).toBeNull();
    expect(parseMarkingCode('01046070534700162112')).toBeNull();
    expect(parseMarkingCode('')).toBeNull();
  });

  it('names the unit by GTIN and serial, whatever check groups came with it', () => {
    expect(markingKey(DAIRY)).toBe(markingKey(DAIRY.replace(GS, '<GS>')));
    expect(markingKey(DAIRY)).not.toBe(markingKey(DAIRY.replace('55Qbag!', '55Qbag?')));
    expect(normaliseScan(' abc ')).toBe('abc');
  });

  it('turns a shop barcode into a GTIN', () => {
    expect(gtinOfBarcode('4607053470016')).toBe('04607053470016');
    expect(gtinOfBarcode('молоко')).toBeNull();
  });
});
