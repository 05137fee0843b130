import { describe, expect, it } from 'vitest';
import type { RetryClass } from '../appError';
import type { RefundState } from '../../preload/contract';
import { regosAfterLookup, regosAfterSendError } from '../backends/regos/vcrExactlyOnce';
import { afterPrintTrouble, beforePrintTrouble, cancelRefusal, earlierUnsettled, type Trigger } from './settlementDecisions';

/** The saga's decisions, one rule each (main/refunds/README.md, "Exactly once"). */
const RETRY: RetryClass[] = ['transient', 'permanent', 'unknown-outcome'];
const TRIGGERS: Trigger[] = ['counter', 'retry', 'recovery'];

describe('after a receipt was sent and something went wrong', () => {
  it('a device that does not answer the question leaves the refund pending as "may be in the ФН", whatever the print error', () => {
    for (const e of RETRY) expect(afterPrintTrouble(null, e)).toEqual({ do: 'wait', state: 'fiscalizing' });
  });

  it('the device holding the receipt completes the refund, whatever the print error said', () => {
    for (const e of RETRY) expect(afterPrintTrouble('printed', e)).toEqual({ do: 'complete' });
  });

  it('an ambiguous answer goes to a person, never to a resend', () => {
    for (const e of RETRY) expect(afterPrintTrouble('ambiguous', e)).toEqual({ do: 'review' });
  });

  it('proven not printed: fails only when printing again cannot help; otherwise it waits to print by itself', () => {
    expect(afterPrintTrouble('notPrinted', 'permanent')).toEqual({ do: 'fail' });
    expect(afterPrintTrouble('notPrinted', 'transient')).toEqual({ do: 'wait', state: 'confirmed' });
    expect(afterPrintTrouble('notPrinted', 'unknown-outcome')).toEqual({ do: 'wait', state: 'confirmed' });
  });
});

describe('before anything reached the printer', () => {
  it('a printer that is off or busy makes the refund wait; only a permanent refusal (shift over 24 h) fails it', () => {
    expect(beforePrintTrouble('transient')).toBe('wait');
    expect(beforePrintTrouble('unknown-outcome')).toBe('wait');
    expect(beforePrintTrouble('permanent')).toBe('fail');
  });
});

describe('the earlier-refund guard', () => {
  const r = (id: string, state: RefundState, source = 'lifepos') => ({ id, state, sale: { source } });

  it('names every other printer refund still fiscalizing, and nothing else', () => {
    const all = [r('self', 'fiscalizing'), r('a', 'fiscalizing'), r('b', 'confirmed'), r('c', 'synced'), r('v', 'fiscalizing', 'regos'), r('d', 'fiscalizing', 'lifepay')];
    expect(earlierUnsettled('self', all).map((x) => x.id)).toEqual(['a', 'd']);
  });

  it('lets a receipt print when nothing earlier is open', () => {
    expect(earlierUnsettled('self', [r('self', 'fiscalizing'), r('v', 'fiscalizing', 'regos'), r('x', 'review')])).toEqual([]);
  });
});

describe('REGOS: Receipt.Refund failed', () => {
  it('VCR holding our code (the client found it by Receipt.GetInfo) means registered', () => {
    expect(regosAfterSendError({ code: 'regos.duplicate_code', retry: 'permanent' })).toBe('registered');
  });

  it('a lost answer is asked about, a transient failure registered nothing, anything else is refused', () => {
    expect(regosAfterSendError({ code: 'HTTP_TIMEOUT', retry: 'unknown-outcome' })).toBe('lookup');
    expect(regosAfterSendError({ code: 'HTTP_5XX', retry: 'transient' })).toBe('failRepeat');
    expect(regosAfterSendError({ code: 'regos.rejected', retry: 'permanent' })).toBe('fail');
  });
});

describe('REGOS: what Receipt.GetInfo said', () => {
  it('registered is done for anyone who asks', () => {
    for (const by of TRIGGERS) expect(regosAfterLookup('registered', by, 0)).toBe('done');
  });

  it('no answer never resends: the refund waits, resends left or not', () => {
    for (const by of TRIGGERS) for (const left of [0, 1]) expect(regosAfterLookup('noAnswer', by, left)).toBe('wait');
  });

  it('"not registered" resends once with the cashier at the counter, then waits', () => {
    expect(regosAfterLookup('notRegistered', 'counter', 1)).toBe('resend');
    expect(regosAfterLookup('notRegistered', 'retry', 1)).toBe('resend');
    expect(regosAfterLookup('notRegistered', 'counter', 0)).toBe('wait');
    expect(regosAfterLookup('notRegistered', 'retry', 0)).toBe('wait');
  });

  it('"not registered" found in the background ends the refund as not done, never a resend', () => {
    expect(regosAfterLookup('notRegistered', 'recovery', 1)).toBe('fail');
    expect(regosAfterLookup('notRegistered', 'recovery', 0)).toBe('fail');
  });
});

describe('cancel by the cashier', () => {
  it('allowed only when proven not printed (or already not done)', () => {
    expect(cancelRefusal('confirmed')).toBeNull();
    expect(cancelRefusal('draft')).toBeNull();
    expect(cancelRefusal('failed')).toBeNull();
  });

  it('refused, in Russian with the reason, when the receipt may be or is in the ФН', () => {
    expect(cancelRefusal('fiscalizing')).toMatch(/чек мог дойти до принтера/);
    expect(cancelRefusal('fiscalized')).toMatch(/уже напечатан/);
    expect(cancelRefusal('synced')).toMatch(/уже напечатан/);
    expect(cancelRefusal('review')).toMatch(/на проверке/);
  });
});
