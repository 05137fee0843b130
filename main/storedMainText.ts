import { MainText } from '../preload/contract';

/**
 * A reason stored as a code with values (JSON in a TEXT column: refunds.reason_text, outbox_jobs.dead_text,
 * instalment_payments.reason_text). One that no longer fits the contract (a code since renamed) or does not
 * parse is left out: the Russian text beside it still says it, so the row is shown rather than refused.
 */
export function storedMainText(json: string | null): { reasonText?: MainText } {
  if (json === null) return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return {};
  }
  const parsed = MainText.safeParse(value);
  return parsed.success ? { reasonText: parsed.data } : {};
}
