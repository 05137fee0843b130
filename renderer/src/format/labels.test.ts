import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/catalogue';
import { durationText, vatLabel } from './labels';

const ru = translator('ru');
const uz = translator('uz');

describe('labels in the till\'s language', () => {
  it('say how long something has waited in whole minutes, hours from 60 on', () => {
    expect(durationText(ru, 59_999)).toBe('0 мин');
    expect(durationText(ru, 5 * 3_600_000 + 12 * 60_000 + 59_000)).toBe('5 ч 12 мин');
    expect(durationText(uz, 60 * 60_000)).toBe('1 soat 0 daq');
    expect(durationText(uz, 45 * 60_000)).toBe('45 daq');
  });

  it('name VAT rates as a receipt does: НДС in Russian, QQS in Uzbek', () => {
    expect(vatLabel(ru, 'vat22')).toBe('НДС 22 %');
    expect(vatLabel(ru, 'vat120')).toBe('НДС 20/120');
    expect(vatLabel(ru, 'none')).toBe('без НДС');
    expect(vatLabel(uz, 'vat12')).toBe('QQS 12 %');
    expect(vatLabel(uz, 'none')).toBe('QQSsiz');
  });
});
