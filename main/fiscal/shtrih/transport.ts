import { AppError } from '../../appError';
import { ACK, ENQ, NAK, STX, FrameParser, encodeFrame, splitCommand, type LinkEvent } from './frameCodec';
import type { FiscalPort } from '../port';
import { EventQueue } from '../eventQueue';

/**
 * The Shtrih-M link protocol (PROTOCOL.md §Link): the host asks with ENQ; NAK means "ready for a
 * command", ACK means "I still hold an answer" (it follows). The receiver of a frame answers ACK or,
 * on a bad LRC, NAK; the device keeps its answer until the host ACKs it, so a lost answer is fetched
 * again with ENQ instead of running the command twice. Every wait is bounded; reads are event-driven.
 */
export interface TransportTimeouts {
  /** Wait for the device's reply to ENQ. */
  enqMs: number;
  /** Wait for ACK/NAK after our frame (the frame's own wire time is added). */
  ackMs: number;
  /** A gap this long inside a frame means its rest was lost: drop it and resynchronise. */
  interByteMs: number;
  /** Default wait for an answer; commands that print pass their own. */
  answerMs: number;
  /** How long a device may keep saying "busy" (ACK to ENQ) before we give up on one command. */
  maxBusyMs: number;
  /**
   * Replies to earlier requests are missing (late or lost): the line must stay quiet this long before we
   * write them off and trust the next NAK again.
   */
  settleMs: number;
}

export const DEFAULT_TIMEOUTS: TransportTimeouts = {
  enqMs: 150,
  ackMs: 250,
  interByteMs: 60,
  answerMs: 5_000,
  maxBusyMs: 120_000,
  settleMs: 600,
};

export interface TransportOptions {
  /** Used only to stretch timeouts by the wire time of what is in flight. */
  baudRate?: number;
  timeouts?: Partial<TransportTimeouts>;
  maxEnqAttempts?: number;
  maxFrameSends?: number;
  trace?: (direction: '>' | '<', bytes: Buffer) => void;
}

export interface TransportStats {
  commands: number;
  /** Every write that we then waited on: ENQ→reply, frame→ACK, ACK→(nothing) is not counted. */
  roundTrips: number;
  bytesOut: number;
  bytesIn: number;
  frameResends: number;
  naksSent: number;
  staleAnswers: number;
  /**
   * Only the NAKs replyToEnq skips: a NAK that comes while replies to older requests are still owed answers
   * an older ENQ that timed out, so it is not taken as "ready" (PROTOCOL.md §Link). Late ACKs, and late
   * bytes met after our frame or while its answer is awaited, are not counted.
   */
  lateReplies: number;
}

/**
 * A reply byte from the device. `latest` = it is the reply to the last request we sent: the line is a FIFO
 * and the device answers every ENQ and every frame with exactly one ACK or NAK, so the reply that brings
 * the count of owed replies to zero answers the newest request. An earlier one is a late reply.
 */
type ReplyEvent = { kind: 'control'; byte: typeof ACK | typeof NAK; latest: boolean };
type TransportEvent =
  | Exclude<LinkEvent, { kind: 'control' }>
  | { kind: 'control'; byte: typeof ENQ }
  | ReplyEvent
  | { kind: 'truncated'; bytes: Buffer }
  | { kind: 'closed'; error?: Error };

export interface ExchangeOptions {
  answerMs?: number;
}

export class ShtrihTransport {
  readonly stats: TransportStats = { commands: 0, roundTrips: 0, bytesOut: 0, bytesIn: 0, frameResends: 0, naksSent: 0, staleAnswers: 0, lateReplies: 0 };
  private readonly parser = new FrameParser();
  private readonly events = new EventQueue<TransportEvent>();
  private readonly timeouts: TransportTimeouts;
  private readonly byteMs: number;
  private readonly maxEnqAttempts: number;
  private readonly maxFrameSends: number;
  private interByteTimer: NodeJS.Timeout | undefined;
  /** ACK/NAK replies the device still owes us: one per ENQ and per command frame sent. */
  private owedReplies = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly unsubscribe: Array<() => void>;

  constructor(
    private readonly port: FiscalPort,
    private readonly opts: TransportOptions = {},
  ) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
    this.byteMs = opts.baudRate ? 10_000 / opts.baudRate : 0;
    this.maxEnqAttempts = opts.maxEnqAttempts ?? 5;
    this.maxFrameSends = opts.maxFrameSends ?? 10;
    this.unsubscribe = [port.onData((c) => this.onData(c)), port.onClose((error) => this.onPortClosed(error))];
  }

  /** Runs one command (payload = command code + data) and returns the answer payload. One at a time. */
  exchange(payload: Buffer, options: ExchangeOptions = {}): Promise<Buffer> {
    const run = this.chain.then(() => this.runExchange(payload, options));
    this.chain = run.catch(() => undefined);
    return run;
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
    for (const e of this.parser.push(chunk)) {
      if (e.kind === 'control' && e.byte !== ENQ) {
        this.owedReplies = Math.max(0, this.owedReplies - 1);
        this.events.push({ kind: 'control', byte: e.byte, latest: this.owedReplies === 0 });
      } else if (e.kind === 'control') {
        this.events.push({ kind: 'control', byte: ENQ });
      } else {
        this.events.push(e);
      }
    }
    clearTimeout(this.interByteTimer);
    if (this.parser.midFrame) {
      this.interByteTimer = setTimeout(() => {
        const partial = this.parser.reset();
        this.events.push({ kind: 'truncated', bytes: partial });
      }, this.timeouts.interByteMs);
    }
  }

  private onPortClosed(error?: Error): void {
    this.events.push({ kind: 'closed', ...(error ? { error } : {}) });
  }

  private async send(bytes: Buffer): Promise<void> {
    if (this.closed || !this.port.isOpen) throw portClosed();
    this.stats.bytesOut += bytes.length;
    // Counted before the write: the reply may arrive before write() resolves.
    if (bytes[0] === ENQ || bytes[0] === STX) this.owedReplies++;
    await this.port.write(bytes);
    // Traced once handed to the OS: a trace line means the bytes are on their way.
    this.opts.trace?.('>', bytes);
  }

  private wire(bytes: number): number {
    return bytes * this.byteMs;
  }

  private async runExchange(payload: Buffer, options: ExchangeOptions): Promise<Buffer> {
    this.stats.commands++;
    const frame = encodeFrame(payload);
    const code = splitCommand(payload).code;
    await this.waitReady(code);
    const answer = await this.deliver(frame, code, options.answerMs ?? this.timeouts.answerMs);
    return answer;
  }

  /** ENQ until the device says NAK (ready). Any answer it still holds is fetched, ACKed and dropped. */
  private async waitReady(code: number): Promise<void> {
    // Leftovers (late ACKs, noise) belong to a finished exchange.
    this.events.drain();
    let silent = 0;
    let rounds = 0;
    while (rounds++ < this.maxEnqAttempts * 4) {
      await this.send(Buffer.from([ENQ]));
      this.stats.roundTrips++;
      const e = await this.replyToEnq();
      if (e === null) {
        if (++silent >= this.maxEnqAttempts) throw noAnswer(code, 'no reply to ENQ');
        continue;
      }
      if (e === 'noise') continue;
      if (e.kind === 'closed') throw portClosed(e.error);
      if (e.kind === 'control' && e.byte === NAK) return;
      if (e.kind === 'control' && e.byte === ACK) {
        // The device holds (or still prepares) an answer to an earlier command: take it off the line.
        const stale = await this.reply(Math.min(this.timeouts.answerMs, 1_000) + this.wire(258));
        if (stale !== null && stale !== 'noise' && stale.kind === 'frame') await this.ackStale();
        else if (stale !== null && stale !== 'noise' && (stale.kind === 'badFrame' || stale.kind === 'truncated')) await this.sendNak();
        continue;
      }
      if (e.kind === 'frame') await this.ackStale();
      else if (e.kind === 'badFrame' || e.kind === 'truncated') await this.sendNak();
    }
    throw noAnswer(code, 'the device never became ready');
  }

  /** Sends the frame until the device has it, then waits for the answer; refetches a lost answer with ENQ. */
  private async deliver(frame: Buffer, code: number, answerMs: number): Promise<Buffer> {
    let sends = 0;
    const isOurs = (e: TransportEvent | 'noise' | null): e is { kind: 'frame'; payload: Buffer } =>
      e !== null && e !== 'noise' && e.kind === 'frame' && splitCommand(e.payload).code === code;

    // Phase 1: get the frame accepted. Anything but a clean ACK is settled by asking (ENQ): the device
    // answers ACK when it holds our command, NAK when it does not. Resending on a bare NAK could run a
    // command twice if that NAK was a late reply to an earlier ENQ.
    let early: Buffer | undefined;
    for (let accepted = false; !accepted; ) {
      if (sends >= this.maxFrameSends) throw answerLost(code, `frame not accepted after ${sends} sends`);
      if (sends > 0) this.stats.frameResends++;
      sends++;
      await this.send(frame);
      this.stats.roundTrips++;
      const e = await this.reply(this.timeouts.ackMs + this.wire(frame.length + 1));
      if (e !== null && e !== 'noise' && e.kind === 'closed') throw portClosed(e.error);
      if (e !== null && e !== 'noise' && e.kind === 'control' && e.byte === ACK && e.latest) {
        accepted = true;
      } else if (isOurs(e)) {
        // Our ACK got lost on the way but the answer did not.
        accepted = true;
        early = e.payload;
      } else {
        const state = await this.probe(code);
        if (state === 'silent') throw answerLost(code, 'no reply while confirming the frame');
        accepted = state === 'busy';
      }
    }
    if (early) {
      await this.send(Buffer.from([ACK]));
      return early;
    }

    // Phase 2: the answer.
    const busyDeadline = Date.now() + Math.max(this.timeouts.maxBusyMs, answerMs);
    let wait = answerMs + this.wire(258);
    let damaged = 0;
    for (;;) {
      const e = await this.reply(wait);
      if (e !== null && e !== 'noise') {
        if (e.kind === 'closed') throw portClosed(e.error);
        if (e.kind === 'frame') {
          await this.send(Buffer.from([ACK]));
          if (splitCommand(e.payload).code === code) return e.payload;
          this.stats.staleAnswers++;
          continue;
        }
        if (e.kind === 'control') continue;
      }
      if (e !== null) {
        if (++damaged > this.maxFrameSends * 2) throw answerLost(code, 'answer never arrived intact');
        if (e !== 'noise') await this.sendNak();
      }
      if (Date.now() > busyDeadline) throw answerLost(code, 'device stayed busy past the limit');
      const state = await this.probe(code);
      if (state === 'none') throw answerLost(code, 'device reports no pending answer');
      if (state === 'silent') throw answerLost(code, 'device went silent');
      // ACK to ENQ: the answer follows now, or the device is still working on it.
      wait = Math.min(answerMs, 1_000) + this.wire(258);
    }
  }

  private async ackStale(): Promise<void> {
    await this.send(Buffer.from([ACK]));
    this.stats.staleAnswers++;
  }

  private async sendNak(): Promise<void> {
    this.stats.naksSent++;
    this.parser.reset();
    await this.send(Buffer.from([NAK]));
  }

  /** ENQ: 'busy' = device has our command (answer pending or in progress), 'none' = idle, 'silent'. */
  private async probe(code: number): Promise<'busy' | 'none' | 'silent'> {
    for (let i = 0; i < this.maxEnqAttempts; i++) {
      await this.send(Buffer.from([ENQ]));
      this.stats.roundTrips++;
      const e = await this.replyToEnq();
      if (e === null || e === 'noise') continue;
      if (e.kind === 'closed') throw portClosed(e.error);
      if (e.kind === 'control' && e.byte === ACK) return 'busy';
      if (e.kind === 'control' && e.byte === NAK) return 'none';
      if (e.kind === 'frame' && splitCommand(e.payload).code === code) {
        // The answer itself raced ahead of the ACK; put it back for the answer reader.
        this.events.push(e);
        return 'busy';
      }
      if (e.kind === 'badFrame' || e.kind === 'truncated') await this.sendNak();
    }
    return 'silent';
  }

  /**
   * The reply to the ENQ just sent. A NAK that answers an earlier request (sent before a reply timed out)
   * is skipped: taken as the reply to this ENQ it would say "no command held" while the device may be
   * executing ours, and the frame would be sent twice. ACKs and frames are returned as they come: they
   * say the device holds something, whoever asked. When older replies are missing, they are written off
   * only after the line stayed quiet for settleMs.
   */
  private async replyToEnq(): Promise<TransportEvent | 'noise' | null> {
    const wait = this.timeouts.enqMs + this.wire(2);
    let skipped = false;
    let settling = false;
    for (;;) {
      const e = await this.reply(settling ? this.timeouts.settleMs : wait);
      if (e === null) {
        if (settling || (!skipped && this.owedReplies <= 1)) {
          if (settling) this.owedReplies = 0;
          return null;
        }
        settling = true;
        continue;
      }
      if (e !== 'noise' && e.kind === 'control' && e.byte === NAK && !e.latest) {
        this.stats.lateReplies++;
        skipped = true;
        settling = false;
        continue;
      }
      return e;
    }
  }

  /**
   * The next event. Noise usually is a control byte or a frame start damaged on the line, so after noise
   * we wait only until the line goes quiet (a real event in that time still wins) instead of a full timeout.
   */
  private async reply(timeoutMs: number): Promise<TransportEvent | 'noise' | null> {
    const e = await this.nextEvent(timeoutMs);
    if (e?.kind !== 'garbage') return e;
    for (;;) {
      const q = await this.nextEvent(this.timeouts.interByteMs + this.wire(4));
      if (q === null) return 'noise';
      if (q.kind !== 'garbage') return q;
    }
  }

  /** Next event; an ENQ from the line is our own byte echoed or noise, never the device's. */
  private async nextEvent(timeoutMs: number): Promise<TransportEvent | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = await this.events.next(Math.max(0, deadline - Date.now()));
      if (e === null) return null;
      if (e.kind === 'control' && e.byte === ENQ) continue;
      return e;
    }
  }
}

function hexCode(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(2, '0')}`;
}

function noAnswer(code: number, why: string): AppError {
  return new AppError({
    code: 'FISCAL_NO_ANSWER',
    message: 'Фискальный принтер не отвечает. Проверьте, что он включён и кабель подключён.',
    retry: 'transient',
    detail: `command ${hexCode(code)}: ${why}; the command was not delivered`,
  });
}

function answerLost(code: number, why: string): AppError {
  return new AppError({
    code: 'FISCAL_ANSWER_LOST',
    message: 'Связь с фискальным принтером прервалась во время операции. Результат будет проверен по данным принтера.',
    retry: 'unknown-outcome',
    detail: `command ${hexCode(code)}: ${why}; the device may have executed it`,
  });
}

function portClosed(error?: Error): AppError {
  return new AppError({
    code: 'FISCAL_PORT_CLOSED',
    message: 'Порт фискального принтера закрыт. Проверьте подключение.',
    retry: 'unknown-outcome',
    detail: `port closed${error ? `: ${error.message}` : ''}`,
    ...(error ? { cause: error } : {}),
  });
}
