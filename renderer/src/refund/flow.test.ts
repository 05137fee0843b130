import { describe, expect, it } from 'vitest';
import type { RefundPreview, Sale } from '../../../preload/contract';
import { stepBack, type Step } from './flow';
import { emptySelection } from './selection';

const sale = { ref: { source: 'lifepos', id: 'd1' } } as Sale;
const preview = { totalMinor: 100 } as RefundPreview;
const selection = { ...emptySelection, quantities: { a: 1000 } };

describe('Esc through the refund steps', () => {
  it('goes back one step and keeps what was picked and the refund id', () => {
    const card: Step = { name: 'card', sale, selection, preview, refundId: 'r1', rrns: { p1: '123' } };
    const summary = stepBack(card, true);
    expect(summary).toEqual({ ...card, name: 'summary' });
    expect(stepBack(summary as Step, true)).toEqual({ name: 'sale', sale, selection });
    expect(stepBack({ name: 'sale', sale, selection }, true)).toEqual({ name: 'search' });
  });

  it('cannot leave a receipt that is still printing', () => {
    const printing: Step = { name: 'printing', sale, selection, preview, refundId: 'r1', rrns: {} };
    expect(stepBack(printing, false)).toBeNull();
    expect(stepBack(printing, true)).toMatchObject({ name: 'summary', refundId: 'r1' });
  });
});
