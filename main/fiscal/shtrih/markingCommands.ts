import { z } from 'zod';
import { uintLE } from './binary';
import { AnswerMs, type CommandSpec } from './commands';

/**
 * ФФД 1.2 marking commands of Shtrih-M (PROTOCOL.md §Marking codes): FF61 check a code in the ФН and with
 * the ОИСМ, FF69 accept or reject what was checked, FF67 bind the code to the position just added.
 * Layouts: the vendor's command descriptions in shtrih-m/javapos_shtrih (res/commands.xml, FSCheckMC.java,
 * FSAcceptMC.java, FSBindMC.java).
 */
export const MarkingCmd = { check: 0xff61, bindToPosition: 0xff67, decide: 0xff69 } as const;

/** Tag 2003 "планируемый статус товара": 3 = piece goods returned (javapos FSCheckMC FS_ITEM_STATUS_PIECE_RETURN). */
export const PLANNED_STATUS_PIECE_RETURNED = 3;

/** FF69 decision byte: 0 reject, 1 accept; 2 clears the ФН's table of check results (javapos FSAcceptMC.ActionClearBuffer). */
export const Decision = { reject: 0, accept: 1, clearTable: 2 } as const;

/** The vendor waits up to 40 s for FF61 and FF67: the ФН asks the ОИСМ over the network (javapos PrinterCommand timeouts). */
const MARKING_ANSWER_MS = 40_000;

const u8 = z.number().int().min(0).max(0xff);

export const CheckAnswer = z.object({
  /** Tag 2004: result of the ФН's own check of the code's crypto tail (0 when not checked). */
  localStatus: u8,
  /** Why the ФН did not check it: 0 checked, 1 type not checkable, 2 no key, 3 no 91/92 or bad format, 4 other. */
  localReason: u8,
  /** Tag 2100: the code type the ФН recognised. */
  codeType: u8,
  /** null: no ОИСМ answer (autonomous mode, or the ФН answers 0xFF: "сервер не ответил в течение таймаута"). */
  oism: z.object({ fnCode: u8, result2106: u8.nullable() }).nullable(),
});
export type CheckAnswer = z.infer<typeof CheckAnswer>;

/** FF61: password, planned status (tag 2003), mode (tag 2102, "сейчас всегда 0"), code length, TLV length, code, TLV. */
export function checkMarkingCode(password: number, code: Buffer): CommandSpec<CheckAnswer> {
  return {
    code: MarkingCmd.check,
    data: Buffer.concat([uintLE(password, 4), Buffer.from([PLANNED_STATUS_PIECE_RETURNED, 0, code.length, 0]), code]),
    answerMs: MARKING_ANSWER_MS,
    decode: (r) => {
      const localStatus = r.u8();
      const localReason = r.u8();
      const codeType = r.u8();
      const more = r.remaining > 0 ? r.u8() : 0;
      if (more === 0 || r.remaining === 0) return CheckAnswer.parse({ localStatus, localReason, codeType, oism: null });
      const fnCode = r.u8();
      const result2106 = fnCode === 0 && r.remaining > 0 ? r.u8() : null;
      r.rest(); // the server's TLV list, kept by the ФН for the receipt
      return CheckAnswer.parse({ localStatus, localReason, codeType, oism: fnCode === 0xff ? null : { fnCode, result2106 } });
    },
  };
}

/** FF69: the decision; the answer carries tag 2106 as the ФН keeps it. */
export function decideMarkingCode(password: number, decision: number): CommandSpec<{ result2106: number | null }> {
  return {
    code: MarkingCmd.decide,
    data: Buffer.concat([uintLE(password, 4), Buffer.from([decision])]),
    answerMs: AnswerMs.status,
    decode: (r) => ({ result2106: r.remaining > 0 ? r.u8() : null }),
  };
}

/** FF67: code length, code; sent after the position's FF46 ("после привязки всех тегов к предмету расчета"). */
export function bindMarkingCode(password: number, code: Buffer): CommandSpec<{ itemCode: number }> {
  return {
    code: MarkingCmd.bindToPosition,
    data: Buffer.concat([uintLE(password, 4), Buffer.from([code.length]), code]),
    answerMs: MARKING_ANSWER_MS,
    decode: (r) => {
      const itemCode = r.remaining >= 2 ? r.uint(2) : 0;
      r.rest();
      return { itemCode };
    },
  };
}

/**
 * Tag 2106 bits (javapos SMFiscalPrinterImpl.checkTag2106): bit 0 the ФН checked the code's crypto tail,
 * bit 1 that check was positive, bit 2 the ОИСМ checked the code, bit 3 the ОИСМ found the planned status
 * right. A negative check is refused; a check not made (offline) is not a negative one.
 */
export function refusalOf2106(result: number): 'crypto' | 'status' | null {
  if ((result & 0b0001) !== 0 && (result & 0b0010) === 0) return 'crypto';
  if ((result & 0b0100) !== 0 && (result & 0b1000) === 0) return 'status';
  return null;
}
