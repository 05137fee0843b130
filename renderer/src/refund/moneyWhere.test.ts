import { describe, expect, it } from 'vitest';
import type { RefundTender } from '../../../preload/contract';
import { moneyWhere } from './moneyWhere';

const tender = (kind: RefundTender['kind'], id: string = kind): RefundTender => ({ paymentPartId: id, kind, amountMinor: 100, needsCard: kind === 'card' });

describe('where the money goes', () => {
  it('says "all to the card" only when every part is a card, even over two card payments', () => {
    expect(moneyWhere([tender('card', 'a'), tender('card', 'b')])).toEqual({ key: 'money.allCard' });
    expect(moneyWhere([tender('cash')])).toEqual({ key: 'money.allCash' });
    expect(moneyWhere([tender('sbp')])).toEqual({ key: 'money.allOne', kind: 'sbp' });
  });

  it('explains the rule when the money is split between kinds', () => {
    expect(moneyWhere([tender('cash'), tender('card')])).toEqual({ key: 'money.mixedRule' });
    expect(moneyWhere([])).toBeNull();
  });
});
