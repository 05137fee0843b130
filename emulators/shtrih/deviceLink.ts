import type { DeviceModel } from './deviceModel';
import { Faults, seededRandom } from './faults';
import { PreciseScheduler } from './scheduler';
import { Byte, WireReader, frameOf, type WireEvent } from './wire';

/**
 * Device side of the Shtrih-M link protocol over any byte pipe (bytes in → bytes out), with wire time
 * at the configured baud rate (10 bits a byte, 8N1) and the faults of ./faults.ts.
 * Protocol behaviour (PROTOCOL.md §Link): ENQ → NAK when idle, ACK when an answer is pending or being
 * prepared (then the answer follows); a good frame → ACK, a bad one → NAK; the answer is kept until the
 * host ACKs it and is sent again on the next ENQ.
 */
export interface LinkStats {
  bytesIn: number;
  bytesOut: number;
  commands: number;
  /** Sum of the declared processing times of executed commands. */
  processingMs: number;
  /**
   * Frames accepted although line noise had changed them, by the device (commands) or by the host
   * (answers): two damaged bytes whose changes cancel out in the XOR checksum. No Shtrih-M host or
   * device can see these; tests count them separately.
   */
  undetectedCorruptions: number;
}

export interface DeviceLinkOptions {
  /** 0 = no wire time (instant link). */
  baudRate: number;
  /** A gap this long inside an incoming frame drops it (the device's byte timeout). */
  byteTimeoutMs?: number;
  faults?: Faults;
}

export class DeviceLink {
  readonly stats: LinkStats = { bytesIn: 0, bytesOut: 0, commands: 0, processingMs: 0, undetectedCorruptions: 0 };
  private frameTainted = false;
  private readonly reader = new WireReader();
  private readonly scheduler = new PreciseScheduler();
  private readonly byteMs: number;
  private readonly byteTimeoutMs: number;
  private faults: Faults = {};
  private random: () => number = seededRandom(1);
  private rxFreeAt = 0;
  private txFreeAt = 0;
  private byteTimer: NodeJS.Timeout | undefined;
  /** 'idle' | processing a command | answer sent and not yet ACKed. */
  private phase: 'idle' | 'processing' | 'pending' = 'idle';
  private pendingAnswer: Buffer | undefined;
  private powered = true;
  private onPowerLoss: (() => void) | undefined;

  constructor(
    readonly model: DeviceModel,
    private readonly transmitBytes: (bytes: Buffer) => void,
    opts: DeviceLinkOptions,
  ) {
    this.byteMs = opts.baudRate > 0 ? 10_000 / opts.baudRate : 0;
    this.byteTimeoutMs = opts.byteTimeoutMs ?? 50;
    this.setFaults(opts.faults ?? {});
  }

  get isPowered(): boolean {
    return this.powered;
  }

  /** Called when a power-loss fault fires (the pty adapter uses it to stop reading, like a dead board). */
  onPowerLost(l: () => void): void {
    this.onPowerLoss = l;
  }

  setFaults(update: Faults): void {
    const f = Faults.parse(update);
    this.faults = { ...this.faults, ...f };
    if (f.seed !== undefined) this.random = seededRandom(f.seed);
    if (f.paper) this.model.setPaper(f.paper);
    if (f.coverOpen !== undefined) this.model.coverOpen = f.coverOpen;
    if (f.paperOutAfterPositions !== undefined) this.model.paperOutAfterPositions = f.paperOutAfterPositions;
    if (f.paperOutInterruptedAnswer) this.model.paperOutInterruptedAnswer = f.paperOutInterruptedAnswer;
    if (f.busyForMs !== undefined) this.model.busyUntil = Date.now() + f.busyForMs;
    if (f.clockOffsetMs !== undefined) this.model.clockOffsetMs = f.clockOffsetMs;
    if (f.powerLoss === 'now') this.powerOff();
  }

  resetStats(): void {
    Object.assign(this.stats, { bytesIn: 0, bytesOut: 0, commands: 0, processingMs: 0, undetectedCorruptions: 0 });
  }

  powerOff(): void {
    this.powered = false;
    this.scheduler.clear();
    this.reader.drop();
    this.phase = 'idle';
    this.pendingAnswer = undefined;
    this.model.powerLoss();
    this.faults.powerLoss = null;
    this.onPowerLoss?.();
  }

  powerOn(): void {
    this.powered = true;
    this.rxFreeAt = 0;
    this.txFreeAt = 0;
  }

  close(): void {
    clearTimeout(this.byteTimer);
    this.scheduler.stop();
  }

  /** Bytes from the host. They are "on the wire" for their transmission time before the device sees them. */
  receive(chunk: Buffer): void {
    this.stats.bytesIn += chunk.length;
    if (!this.powered || this.faults.silent) return;
    const { bytes, damaged } = this.applyLineNoise(chunk);
    const now = this.scheduler.now();
    this.rxFreeAt = Math.max(now, this.rxFreeAt) + chunk.length * this.byteMs;
    this.scheduler.at(this.rxFreeAt, () => this.onBytes(bytes, damaged));
  }

  private onBytes(bytes: Buffer, damaged: Uint8Array | undefined): void {
    if (!damaged) {
      this.onEvents(this.reader.feed(bytes));
    } else {
      // Byte by byte, so we know whether a frame the checksum accepted had a damaged byte in it.
      for (let i = 0; i < bytes.length; i++) {
        if (!this.reader.inFrame) this.frameTainted = false;
        this.frameTainted ||= damaged[i] === 1;
        const events = this.reader.feed(bytes.subarray(i, i + 1));
        if (this.frameTainted && events.some((e) => e.kind === 'frame')) this.stats.undetectedCorruptions++;
        this.onEvents(events);
      }
    }
    clearTimeout(this.byteTimer);
    if (this.reader.inFrame) this.byteTimer = setTimeout(() => this.reader.drop(), this.byteTimeoutMs);
  }

  private onEvents(events: WireEvent[]): void {
    for (const e of events) {
      if (e.kind === 'enq') this.onEnq();
      else if (e.kind === 'ack') {
        if (this.phase === 'pending') {
          this.phase = 'idle';
          this.pendingAnswer = undefined;
        }
      } else if (e.kind === 'badFrame') {
        this.transmit(Buffer.from([Byte.NAK]));
      } else if (e.kind === 'frame') {
        this.onFrame(e.payload);
      }
      // A NAK from the host means it saw a damaged answer; it asks again with ENQ.
    }
  }

  private onEnq(): void {
    if (this.phase === 'idle') this.transmit(Buffer.from([Byte.NAK]));
    else if (this.phase === 'processing') this.transmit(Buffer.from([Byte.ACK]));
    else if (this.pendingAnswer) {
      this.transmit(Buffer.from([Byte.ACK]));
      this.sendAnswer(this.pendingAnswer);
    }
  }

  private onFrame(payload: Buffer): void {
    if (this.phase === 'processing') return;
    // A new command replaces an answer the host never confirmed.
    this.phase = 'processing';
    this.pendingAnswer = undefined;
    const ackDone = this.transmit(Buffer.from([Byte.ACK]));
    const result = this.model.execute(payload);
    this.stats.commands++;
    this.stats.processingMs += result.processingMs;
    const pl = this.faults.powerLoss;
    if (pl && result.event) {
      const diesNow =
        (pl === 'afterCloseFiscalized' && result.event.kind === 'closeFiscalized') ||
        (typeof pl === 'object' && result.event.kind === 'positionRegistered' && result.event.count >= pl.afterPositions);
      if (diesNow) {
        this.powerOff();
        return;
      }
    }
    this.scheduler.at(ackDone + result.processingMs, () => {
      this.phase = 'pending';
      this.pendingAnswer = result.answer;
      this.sendAnswer(result.answer);
    });
  }

  private sendAnswer(answer: Buffer): void {
    let frame = frameOf(this.undetectablyDamaged(answer));
    if ((this.faults.badChecksumNext ?? 0) > 0) {
      this.faults.badChecksumNext = (this.faults.badChecksumNext ?? 0) - 1;
      frame = Buffer.from(frame);
      frame[frame.length - 1] = (frame[frame.length - 1] ?? 0) ^ 0x5a;
    }
    const drop = this.faults.dropNextAnswerBytes ?? 0;
    if (drop > 0) {
      this.faults.dropNextAnswerBytes = 0;
      frame = frame.subarray(0, Math.max(1, frame.length - drop));
    }
    this.transmit(frame);
  }

  private undetectablyDamaged(answer: Buffer): Buffer {
    const queue = this.faults.undetectedDamage ?? [];
    const code = answer[0] === 0xff ? 0xff00 | (answer[1] ?? 0) : answer[0];
    const i = queue.findIndex((d) => d.code === code);
    const damage = queue[i];
    if (!damage || answer.length <= Math.max(...damage.bytes)) return answer;
    this.faults.undetectedDamage = queue.filter((_, k) => k !== i);
    const out = Buffer.from(answer);
    for (const at of damage.bytes) out[at] = (out[at] ?? 0) ^ damage.xor;
    this.stats.undetectedCorruptions++;
    return out;
  }

  /** Queues bytes on the device→host line; returns when the last of them has left. */
  private transmit(bytes: Buffer): number {
    const now = this.scheduler.now();
    const start = Math.max(now, this.txFreeAt);
    this.txFreeAt = start + bytes.length * this.byteMs;
    this.stats.bytesOut += bytes.length;
    const { bytes: onLine, damaged } = this.applyLineNoise(bytes);
    // The host's side of the same blind spot: an answer whose damage the XOR cannot see is read as sent.
    if (damaged?.includes(1) && new WireReader().feed(onLine).some((e) => e.kind === 'frame')) this.stats.undetectedCorruptions++;
    this.scheduler.at(this.txFreeAt, () => {
      if (this.powered && onLine.length > 0) this.transmitBytes(onLine);
    });
    return this.txFreeAt;
  }

  private applyLineNoise(bytes: Buffer): { bytes: Buffer; damaged?: Uint8Array } {
    const loss = this.faults.lossProbability ?? 0;
    const corrupt = this.faults.corruptProbability ?? 0;
    if (loss === 0 && corrupt === 0) return { bytes };
    const out: number[] = [];
    const damaged: number[] = [];
    for (const b of bytes) {
      if (loss > 0 && this.random() < loss) continue;
      if (corrupt > 0 && this.random() < corrupt) {
        out.push((b + 1 + Math.floor(this.random() * 255)) & 0xff);
        damaged.push(1);
        continue;
      }
      out.push(b);
      damaged.push(0);
    }
    return { bytes: Buffer.from(out), damaged: Uint8Array.from(damaged) };
  }
}
