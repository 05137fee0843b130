import { AppError } from '../../appError';
import type { FiscalPort } from '../port';
import { EventQueue } from '../eventQueue';
import { FrameParser, MAX_ID, encodeFrame, type FrameEvent } from './frame';

/**
 * ATOL link v3 task buffer (PROTOCOL.md §3). A command goes to the device once, as ADD with a task id;
 * its result is asked for with REQ (idempotent) until it is there, and acknowledged with ACK. A lost answer
 * is therefore fetched again, never re-run. The one thing REQ cannot tell apart — "never arrived" from
 * "device rebooted and forgot" — is decided by the caller: a command that may print is not sent again
 * here (the driver looks at the device), a pure request is.
 */
export const Task = { add: 0xc1, ack: 0xc2, req: 0xc3, abort: 0xc4 } as const;
export const TaskStatus = {
  pending: 0xa1,
  inProgress: 0xa2,
  result: 0xa3,
  error: 0xa4,
  stopped: 0xa5,
  asyncResult: 0xa6,
  asyncError: 0xa7,
  waiting: 0xa8,
  overflow: 0xb1,
  alreadyExists: 0xb2,
  notFound: 0xb3,
  illegal: 0xb4,
} as const;
const NEED_RESULT = 0x01;

export interface AtolTimeouts {
  /** Wait for the device's reply to one packet (it replies at once: a status, not the result). */
  packetMs: number;
  /** Pause between REQs while a task is pending or in progress. */
  pollMs: number;
  /** Default wait for a command's result; printing commands pass their own. */
  answerMs: number;
  /** A gap this long inside a frame means its rest was lost. */
  interByteMs: number;
}

export const DEFAULT_ATOL_TIMEOUTS: AtolTimeouts = { packetMs: 500, pollMs: 30, answerMs: 10_000, interByteMs: 100 };

export interface AtolTransportOptions {
  baudRate?: number;
  timeouts?: Partial<AtolTimeouts>;
  /** Sends of one packet before the device counts as silent. */
  maxPacketSends?: number;
  trace?: (direction: '>' | '<', bytes: Buffer) => void;
}

export interface AtolTransportStats {
  commands: number;
  packets: number;
  resends: number;
  polls: number;
  badFrames: number;
  lateReplies: number;
  bytesOut: number;
  bytesIn: number;
}

export interface AtolExchangeOptions {
  answerMs?: number;
  /** True only for commands that change nothing (requests): they may be sent again when lost. */
  resendable?: boolean;
}

type Incoming = FrameEvent | { kind: 'closed'; error?: Error };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class AtolTransport {
  readonly stats: AtolTransportStats = { commands: 0, packets: 0, resends: 0, polls: 0, badFrames: 0, lateReplies: 0, bytesOut: 0, bytesIn: 0 };
  private readonly parser = new FrameParser();
  private readonly inbox = new EventQueue<Incoming>();
  private readonly t: AtolTimeouts;
  private readonly byteMs: number;
  private readonly maxSends: number;
  private packetId: number;
  private taskId: number;
  private interByteTimer: NodeJS.Timeout | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;
  /**
   * Set when task ids wrap. A result whose ACK was lost (ACK has no reply) stays in the device under its id;
   * a new task reusing that id would be answered B2 and its REQ would fetch the old result. Emptying the
   * buffer (C4, which is answered) before any id is used a second time makes that impossible.
   */
  private mustAbort = false;
  private readonly unsubscribe: Array<() => void>;

  constructor(
    private readonly port: FiscalPort,
    private readonly opts: AtolTransportOptions = {},
  ) {
    this.t = { ...DEFAULT_ATOL_TIMEOUTS, ...opts.timeouts };
    this.byteMs = opts.baudRate ? 10_000 / opts.baudRate : 0;
    this.maxSends = opts.maxPacketSends ?? 4;
    // Ids carry on from no earlier session: a random start keeps a late reply to a previous process's
    // packet from passing for ours.
    this.packetId = Math.floor(Math.random() * MAX_ID);
    this.taskId = Math.floor(Math.random() * MAX_ID);
    this.unsubscribe = [port.onData((c) => this.onData(c)), port.onClose((error) => this.inbox.push({ kind: 'closed', ...(error ? { error } : {}) }))];
  }

  /** Runs one command (password + code + data) and returns the device's answer bytes ('U'/'D'…). */
  exchange(command: Buffer, options: AtolExchangeOptions = {}): Promise<Buffer> {
    const run = this.chain.then(() => this.runTask(command, options));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Empties the device's task buffer (C4). Sent at connect: a task id held from an earlier session must not
   * answer for one of ours.
   */
  abortAll(): Promise<void> {
    const run = this.chain.then(() => this.abortTasks());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async abortTasks(): Promise<void> {
    const reply = await this.packet(Buffer.from([Task.abort]), true);
    if (reply === null) throw noAnswer(0xc4, 'no reply to ABORT');
    this.mustAbort = false;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.interByteTimer);
    for (const u of this.unsubscribe) u();
    await this.port.close();
  }

  private onData(chunk: Buffer): void {
    this.stats.bytesIn += chunk.length;
    this.opts.trace?.('<', chunk);
    for (const e of this.parser.push(chunk)) this.inbox.push(e);
    clearTimeout(this.interByteTimer);
    if (this.parser.midFrame) {
      this.interByteTimer = setTimeout(() => {
        const cut = this.parser.reset();
        if (cut) this.inbox.push(cut);
      }, this.t.interByteMs);
    }
  }

  private nextId(current: number): number {
    return current >= MAX_ID ? 0 : current + 1;
  }

  private async write(bytes: Buffer): Promise<void> {
    if (this.closed || !this.port.isOpen) throw portClosed();
    this.stats.bytesOut += bytes.length;
    await this.port.write(bytes);
    this.opts.trace?.('>', bytes);
  }

  /**
   * One packet and its reply (same packet id). The device's "send again" (an empty packet with our id)
   * always resends: it did not take the packet. Silence or a damaged reply resends only when `resend`
   * allows: the device may hold the packet already. Replies to earlier packets are late and dropped.
   * null = no usable reply.
   */
  private async packet(data: Buffer, resend: boolean): Promise<Buffer | null> {
    this.packetId = this.nextId(this.packetId);
    const id = this.packetId;
    const frame = encodeFrame(id, data);
    let sends = 0;
    let refusals = 0;
    while (sends < this.maxSends && refusals < this.maxSends) {
      if (sends + refusals > 0) this.stats.resends++;
      this.stats.packets++;
      this.inbox.drain();
      await this.write(frame);
      const outcome = await this.replyTo(id, this.t.packetMs + (frame.length + 300) * this.byteMs);
      if (outcome instanceof Buffer) return outcome;
      if (outcome === 'refused') {
        refusals++;
        continue;
      }
      sends++;
      if (!resend) return null;
    }
    return null;
  }

  private async replyTo(id: number, ms: number): Promise<Buffer | 'refused' | 'lost'> {
    const deadline = Date.now() + ms;
    for (;;) {
      const e = await this.inbox.next(Math.max(1, deadline - Date.now()));
      if (e === null) return 'lost';
      if (e.kind === 'closed') throw portClosed(e.error);
      if (e.kind === 'bad') {
        this.stats.badFrames++;
        if (e.id === undefined || e.id === id) return 'lost';
        continue;
      }
      if (e.id !== id) {
        this.stats.lateReplies++;
        continue;
      }
      return e.data.length === 0 ? 'refused' : e.data;
    }
  }

  private async runTask(command: Buffer, options: AtolExchangeOptions): Promise<Buffer> {
    this.stats.commands++;
    const code = command[2] ?? 0;
    if (this.mustAbort) await this.abortTasks();
    this.taskId = this.nextId(this.taskId);
    if (this.taskId === MAX_ID) this.mustAbort = true;
    const tid = this.taskId;
    const add = Buffer.concat([Buffer.from([Task.add, NEED_RESULT, tid]), command]);
    const answerMs = options.answerMs ?? this.t.answerMs;
    const deadline = Date.now() + answerMs;

    let reply = await this.packet(add, options.resendable === true);
    if (reply === null) {
      // The ADD may or may not be in the device: only REQ can say, and only REQ is sent.
      reply = await this.packet(Buffer.from([Task.req, tid]), true);
      // A silent device may have taken the ADD before it fell silent: only a pure request is known undone.
      if (reply === null) throw options.resendable ? noAnswer(code, 'no reply to ADD nor to REQ') : answerLost(code, 'no reply to ADD nor to REQ');
    }
    for (;;) {
      const status = reply[0];
      if (status === TaskStatus.result || status === TaskStatus.error) {
        await this.write(encodeFrame((this.packetId = this.nextId(this.packetId)), Buffer.from([Task.ack, tid])));
        return reply.subarray(1);
      }
      if (status === TaskStatus.notFound) {
        if (!options.resendable) throw answerLost(code, `task ${tid} not found in the device (never arrived, or the device restarted)`, TaskStatus.notFound);
        reply = await this.packet(add, true);
        if (reply === null) throw noAnswer(code, 'no reply to a resent ADD');
        continue;
      }
      if (status === TaskStatus.overflow) throw busy(code);
      if (status !== TaskStatus.pending && status !== TaskStatus.inProgress && status !== TaskStatus.waiting && status !== TaskStatus.alreadyExists) {
        throw answerLost(code, `unexpected task status 0x${(status ?? 0).toString(16)}`);
      }
      if (Date.now() > deadline) throw answerLost(code, `task ${tid} still running after ${answerMs} ms`);
      await sleep(this.t.pollMs);
      this.stats.polls++;
      const next = await this.packet(Buffer.from([Task.req, tid]), true);
      if (next === null) throw answerLost(code, `device went silent while task ${tid} ran`);
      reply = next;
    }
  }
}

const hexCode = (code: number): string => `0x${code.toString(16).padStart(2, '0').toUpperCase()}`;

function noAnswer(code: number, why: string): AppError {
  return new AppError({
    code: 'FISCAL_NO_ANSWER',
    message: 'Кассовый аппарат АТОЛ не отвечает. Проверьте, что он включён, кабель подключён и выбран протокол АТОЛ.',
    retry: 'transient',
    detail: `ATOL command ${hexCode(code)}: ${why}; the command was not delivered`,
  });
}

/** `taskStatus` B3 = the device says it has no such task: the caller may be able to tell why (driver.ts). */
function answerLost(code: number, why: string, taskStatus?: number): AppError {
  return new AppError({
    code: 'FISCAL_ANSWER_LOST',
    message: 'Связь с кассовым аппаратом АТОЛ прервалась во время операции. Результат будет проверен по данным ФН.',
    retry: 'unknown-outcome',
    detail: `ATOL command ${hexCode(code)}: ${why}; the device may have executed it`,
    ...(taskStatus === undefined ? {} : { deviceCode: taskStatus }),
  });
}

function busy(code: number): AppError {
  return new AppError({
    code: 'FISCAL_BUSY',
    message: 'Кассовый аппарат АТОЛ занят. Повторите через несколько секунд.',
    retry: 'transient',
    detail: `ATOL command ${hexCode(code)}: task buffer overflow (B1); the command was not accepted`,
  });
}

function portClosed(error?: Error): AppError {
  return new AppError({
    code: 'FISCAL_PORT_CLOSED',
    message: 'Порт кассового аппарата АТОЛ закрыт. Проверьте подключение.',
    retry: 'unknown-outcome',
    detail: `port closed${error ? `: ${error.message}` : ''}`,
    ...(error ? { cause: error } : {}),
  });
}
