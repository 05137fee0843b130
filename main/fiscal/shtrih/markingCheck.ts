import { AppError, isAppError } from '../../appError';
import type { CommandSpec } from './commands';
import { Decision, bindMarkingCode, checkMarkingCode, decideMarkingCode, refusalOf2106, type CheckAnswer } from './markingCommands';

/**
 * The marking-code steps of one receipt (PROTOCOL.md §Marking codes), in the order the vendor's own driver
 * sends them: after 0x8D opens the receipt, every code is checked (FF61) and accepted or rejected (FF69)
 * before the positions; then each marked position is FF46 followed by its FF67. The ФН's table of check
 * results is cleared first: a receipt a power cut lost may have left accepted codes in it.
 */
export type Run = <T>(spec: CommandSpec<T>) => Promise<T>;

export interface MarkedPosition {
  name: string;
  markingCode?: string | undefined;
}

export const MARKING_REFUSED = 'FISCAL_MARKING_REFUSED';

/** What the cashier is told for a code the ФН or the ОИСМ refused; the receipt is cancelled, nothing is fiscalized. */
const REFUSAL_TEXT = {
  crypto: 'код не прошёл проверку в фискальном накопителе (код проверки не сходится)',
  status: 'система маркировки не подтвердила возврат этого экземпляра (код не выбыл при продаже или принадлежит другому продавцу)',
} as const;

const codeBytes = (code: string): Buffer => Buffer.from(code, 'latin1');

/** Checks and accepts every code; returns the names of the positions checked without an ОИСМ answer. */
export async function checkReceiptCodes(run: Run, password: number, positions: readonly MarkedPosition[]): Promise<string[]> {
  const marked = positions.filter((p): p is MarkedPosition & { markingCode: string } => p.markingCode !== undefined);
  if (marked.length === 0) return [];
  await clearCheckTable(run, password);
  const offline: string[] = [];
  for (const p of marked) {
    const answer = await run(checkMarkingCode(password, codeBytes(p.markingCode)));
    const refusal = refusalOf(answer);
    if (refusal) {
      await run(decideMarkingCode(password, Decision.reject));
      throw refused(p, refusal, answer);
    }
    const kept = await run(decideMarkingCode(password, Decision.accept));
    const after = kept.result2106 === null ? null : refusalOf2106(kept.result2106);
    if (after) throw refused(p, after, answer);
    if (!answer.oism) offline.push(p.name);
  }
  return offline;
}

/** FF67 right after the position's FF46. */
export async function bindPositionCode(run: Run, password: number, position: MarkedPosition): Promise<void> {
  if (position.markingCode !== undefined) await run(bindMarkingCode(password, codeBytes(position.markingCode)));
}

/** A firmware without the clear action refuses it with a device code: there is nothing to clear then. */
async function clearCheckTable(run: Run, password: number): Promise<void> {
  try {
    await run(decideMarkingCode(password, Decision.clearTable));
  } catch (e) {
    if (!isAppError(e) || e.deviceCode === undefined) throw e;
  }
}

/**
 * A negative answer of the ФН's own check (local status 1: javapos "MC check return negative status") or
 * of the ОИСМ (tag 2106) refuses the code. No ОИСМ answer (offline or its timeout) is not a refusal: the
 * ФН keeps the code for its notification and sends it once online. A code the ФН could not check itself
 * (no key, a type it does not check) is left to the ОИСМ, unlike javapos, which refuses it: a customer's
 * returned item is not refused for what the till's ФН lacks.
 */
function refusalOf(a: CheckAnswer): keyof typeof REFUSAL_TEXT | null {
  if (a.localStatus === 1) return 'crypto';
  return a.oism?.result2106 != null ? refusalOf2106(a.oism.result2106) : null;
}

function refused(p: MarkedPosition & { markingCode: string }, why: keyof typeof REFUSAL_TEXT, a: CheckAnswer): AppError {
  return new AppError({
    code: MARKING_REFUSED,
    message: `«${p.name}»: ${REFUSAL_TEXT[why]}. Чек не пробит. Проверьте, что код отсканирован с этого экземпляра товара.`,
    retry: 'permanent',
    detail: `marking code refused (${why}): local ${a.localStatus}/${a.localReason}, type ${a.codeType}, ОИСМ ${a.oism ? `${a.oism.fnCode}/${a.oism.result2106 ?? '-'}` : 'no answer'}`,
  });
}
