/**
 * The ФФД 1.2 marking commands on the device side (FF61 check, FF69 accept/reject, FF67 bind), written
 * from the vendor's command descriptions (shtrih-m/javapos_shtrih res/commands.xml; main/fiscal/shtrih/PROTOCOL.md
 * §Marking codes), not from the driver. It enforces the order those descriptions give and answers with
 * the ФН's error codes:
 * - FF69 "необходимо подавать после проверки каждого КМ": a second FF61, an FF46 or the close while a
 *   checked code waits for its decision is refused with 0xA1 (ФН: "Неверная последовательность команд").
 * - FF67 binds a code to the position just added ("после привязки всех тегов к предмету расчета"): with
 *   no position yet, or the last position already bound, 0xA1; a code the ФН has not accepted, 0xAC
 *   ("В реквизите 2007 содержится КМ, который ранее не проверялся в ФН").
 * The accepted codes are the ФН's own table: they live in the persisted state and outlive a power cut,
 * until a receipt closes or FF69 with decision 2 clears them. The code waiting for its decision is in
 * RAM and is lost with the power.
 */

const GS = '\u001d';

export const MarkingError = { sequence: 0xa1, notChecked: 0xac, badParams: 0x33 } as const;

/** What the emulated ОИСМ answers: reachable or not, and the codes (by 01+GTIN+21+serial) it refuses. */
export interface Oism {
  reachable: boolean;
  refused: Set<string>;
}

export interface MarkingTable {
  accepted: string[];
}

export interface BoundPosition {
  markingCode?: string | undefined;
}

/** The unit identity of a code the emulator accepts as a ФФД 1.2 marking code, or null when it is not one. */
export function unitOf(code: string): { key: string; cryptoTail: boolean } | null {
  const short = /^(\d{14})([\x21-\x7e]{7})[\x21-\x7e]{8}$/.exec(code);
  if (short) return { key: `${short[1]}${short[2]}`, cryptoTail: false };
  const [head = '', ...groups] = code.split(GS);
  const m = /^01(\d{14})21([\x21-\x7e]{6,20})$/.exec(head);
  if (!m || groups.length === 0 || groups.some((g) => !/^\d{2}/.test(g))) return null;
  return { key: `01${m[1]}21${m[2]}`, cryptoTail: groups.some((g) => g.startsWith('91')) && groups.some((g) => g.startsWith('92')) };
}

type Answer = { error: number } | { body: Buffer };

export class MarkingUnit {
  readonly oism: Oism = { reachable: true, refused: new Set() };
  /** Every marking command in arrival order, for tests of the order and of what was redone. */
  readonly journal: { command: 'check' | 'accept' | 'reject' | 'clear' | 'bind'; code?: string }[] = [];
  private waiting: { code: string; result2106: number } | null = null;

  constructor(
    private readonly table: MarkingTable,
    private readonly persist: () => void,
  ) {}

  /** A command that may not run while a checked code waits for FF69. */
  get blocksReceipt(): boolean {
    return this.waiting !== null;
  }

  powerLoss(): void {
    this.waiting = null;
  }

  /** The ФН's table empties when a receipt is fiscalized. */
  receiptClosed(): void {
    this.table.accepted = [];
    this.persist();
  }

  /** FF61: planned status, mode, code length, TLV length, code, TLV. */
  check(args: Buffer): Answer {
    if (this.waiting) return { error: MarkingError.sequence };
    const [status = 0, , codeLength = 0, tlvLength = 0] = args;
    if (![1, 2, 3, 4, 255].includes(status) || args.length < 4 + codeLength + tlvLength || codeLength === 0) return { error: MarkingError.badParams };
    const code = args.subarray(4, 4 + codeLength).toString('latin1');
    this.journal.push({ command: 'check', code });
    const unit = unitOf(code);
    // Local check: the ФН verifies a 91/92 crypto tail itself; other forms it does not check (reason 1),
    // a string that is no marking code at all has "no 91/92 or a bad format" (reason 3).
    const local = unit === null ? { status: 0, reason: 3, bits: 0 } : unit.cryptoTail ? { status: 0, reason: 0, bits: 0b0011 } : { status: 0, reason: 1, bits: 0 };
    const codeType = unit === null ? 0 : 1;
    if (!this.oism.reachable) {
      this.waiting = { code, result2106: local.bits };
      return { body: Buffer.from([local.status, local.reason, codeType, 0]) };
    }
    const found = unit !== null && !this.oism.refused.has(unit.key);
    const result2106 = local.bits | 0b0100 | (found ? 0b1000 : 0);
    this.waiting = { code, result2106 };
    return { body: Buffer.from([local.status, local.reason, codeType, 2, 0, result2106]) };
  }

  /** FF69: 0 reject, 1 accept, 2 clear the table. */
  decide(args: Buffer): Answer {
    const decision = args[0];
    if (decision === 2) {
      this.journal.push({ command: 'clear' });
      this.waiting = null;
      this.table.accepted = [];
      this.persist();
      return { body: Buffer.alloc(0) };
    }
    if (decision !== 0 && decision !== 1) return { error: MarkingError.badParams };
    const waiting = this.waiting;
    if (!waiting) return { error: MarkingError.sequence };
    this.waiting = null;
    this.journal.push({ command: decision === 1 ? 'accept' : 'reject', code: waiting.code });
    if (decision === 1) {
      this.table.accepted = [...this.table.accepted, waiting.code];
      this.persist();
    }
    return { body: Buffer.from([waiting.result2106]) };
  }

  /** FF67: code length, code; binds it to the last position of the open receipt. */
  bind(args: Buffer, positions: BoundPosition[] | null): Answer {
    const length = args[0] ?? 0;
    if (length === 0 || args.length < 1 + length) return { error: MarkingError.badParams };
    const code = args.subarray(1, 1 + length).toString('latin1');
    const last = positions?.at(-1);
    if (this.waiting || !last || last.markingCode !== undefined) return { error: MarkingError.sequence };
    const at = this.table.accepted.indexOf(code);
    if (at < 0) return { error: MarkingError.notChecked };
    this.journal.push({ command: 'bind', code });
    this.table.accepted = this.table.accepted.filter((_, i) => i !== at);
    this.persist();
    last.markingCode = code;
    // "Первые 2 байта значения реквизита «код товара»" and the Data Matrix type (1 = КМ симметричный is
    // the emulator's choice; the check result follows only for a code not checked before: never here).
    return { body: Buffer.from([0x44, 0x4d, 1]) };
  }
}
