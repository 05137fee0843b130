import { z } from 'zod';
import type { AtolModel } from './model';
import { seededRandom } from '../seededRandom';
import { PtyFaults } from '../ptyFaults';

/**
 * The device side of ATOL link v3 (main/fiscal/atol/PROTOCOL.md §2–3), written from that document: its own
 * frame reader (table CRC) so a codec mistake shared with the driver cannot hide. Tasks run one at a time;
 * results wait in the buffer until the host's ACK.
 */
export const AtolFaults = PtyFaults.extend({
  /** The next N frames the device sends lose one byte in the middle. */
  loseByteNext: z.number().int().nonnegative().optional(),
  /** The next N ADD packets (new commands) from the host are lost on the way: the device never sees them. */
  dropAddsNext: z.number().int().nonnegative().optional(),
  /** The next N ACK packets (the host's "result received") are lost: the device keeps those results. */
  dropAcksNext: z.number().int().nonnegative().optional(),
  /** The next ADD carrying this command code (e.g. 0xE6) is lost on the way, once. */
  dropAddOf: z.number().int().min(0).max(255).nullable().optional(),
  /** Power cut right after a task with this command code (e.g. 0x4A close, 0xE6 position) took effect. */
  powerLossAfter: z.number().int().min(0).max(255).nullable().optional(),
});
export type AtolFaults = z.infer<typeof AtolFaults>;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 0x80 ? ((c << 1) ^ 0x31) & 0xff : (c << 1) & 0xff;
  return c;
});
/** Command codes the power-loss and paper faults count (PROTOCOL.md §4): register a position, close the receipt. */
const POSITION = 0xe6;
const CLOSE_RECEIPT = 0x4a;

const crcOf = (bytes: number[]): number => bytes.reduce((crc, b) => CRC_TABLE[(crc ^ b) & 0xff] ?? 0, 0xff);

function wireFrame(id: number, data: number[], crcDelta = 0): number[] {
  const out = [0xfe, data.length & 0x7f, data.length >> 7, id];
  const put = (b: number): void => {
    if (b === 0xfe) out.push(0xfd, 0xee);
    else if (b === 0xfd) out.push(0xfd, 0xed);
    else out.push(b);
  };
  data.forEach(put);
  put(crcOf([id, ...data]) ^ crcDelta);
  return out;
}

/** Would the host take this damaged frame as a good one? Read on its own, as the host's parser would. */
function undetectedByHost({ bytes, damaged }: NoisyBytes): boolean {
  if (!damaged?.includes(1)) return false;
  return new PacketReader().push(bytes).some((p) => p.ok);
}

type Packet = { ok: true; id: number; data: number[] } | { ok: false; id: number | undefined };

/** Collects bytes into packets: FE starts one, the length says where the data ends. */
class PacketReader {
  private buf: number[] = [];
  private inFrame = false;

  push(chunk: Buffer): Packet[] {
    const out: Packet[] = [];
    for (const b of chunk) {
      if (b === 0xfe) {
        if (this.inFrame && this.buf.length >= 3) out.push({ ok: false, id: this.buf[2] });
        this.buf = [];
        this.inFrame = true;
        continue;
      }
      if (!this.inFrame) continue;
      this.buf.push(b);
      const p = this.complete();
      if (p) {
        out.push(p);
        this.inFrame = false;
        this.buf = [];
      }
    }
    return out;
  }

  drop(): void {
    this.inFrame = false;
    this.buf = [];
  }

  private complete(): Packet | undefined {
    const [l0, l1, id] = this.buf;
    if (l0 === undefined || l1 === undefined || id === undefined) return undefined;
    const len = l0 | (l1 << 7);
    const plain: number[] = [];
    let i = 3;
    while (i < this.buf.length && plain.length < len + 1) {
      const b = this.buf[i++] ?? 0;
      if (b !== 0xfd) {
        plain.push(b);
        continue;
      }
      if (i >= this.buf.length) return undefined;
      const next = this.buf[i++];
      if (next !== 0xee && next !== 0xed) return { ok: false, id };
      plain.push(next === 0xee ? 0xfe : 0xfd);
    }
    if (plain.length < len + 1) return undefined;
    const data = plain.slice(0, len);
    return crcOf([id, ...data]) === plain[len] ? { ok: true, id, data } : { ok: false, id };
  }
}

interface HeldTask {
  code: number;
  status: 'pending' | 'running' | 'done';
  answer?: Buffer;
  failed?: boolean;
}

export interface AtolLinkStats {
  packetsIn: number;
  framesOut: number;
  tasksRun: number;
  duplicateAdds: number;
  bytesIn: number;
  bytesOut: number;
  /** Frames the line noise changed and the CRC still accepted (either direction): no receiver can see these. */
  undetectedCorruptions: number;
}

/** Bytes after the line's noise, with 1 where a byte was changed or follows a lost one. */
interface NoisyBytes {
  bytes: Buffer;
  damaged: Uint8Array | undefined;
}

export class AtolLink {
  readonly stats: AtolLinkStats = { packetsIn: 0, framesOut: 0, tasksRun: 0, duplicateAdds: 0, bytesIn: 0, bytesOut: 0, undetectedCorruptions: 0 };
  private readonly reader = new PacketReader();
  private readonly tasks = new Map<number, HeldTask>();
  private readonly queue: number[] = [];
  private running = false;
  private dark = false;
  private faults: AtolFaults = {};
  private timers = new Set<NodeJS.Timeout>();
  private byteTimer: NodeJS.Timeout | undefined;
  private onPowerLoss: (() => void) | undefined;

  /** Milliseconds one byte takes on the line (10 bits at the baud rate); 0 = an instant line. */
  private readonly byteMs: number;
  private rxFreeAt = 0;
  private txFreeAt = 0;
  private tainted = false;

  constructor(
    private readonly model: AtolModel,
    private readonly transmit: (bytes: Buffer) => void,
    private readonly byteTimeoutMs = 80,
    baudRate = 0,
  ) {
    this.byteMs = baudRate > 0 ? 10_000 / baudRate : 0;
  }

  resetStats(): void {
    for (const k of Object.keys(this.stats) as Array<keyof AtolLinkStats>) this.stats[k] = 0;
  }

  private random: () => number = Math.random;

  setFaults(f: AtolFaults): void {
    this.faults = { ...this.faults, ...AtolFaults.parse(f) };
    if (f.seed !== undefined) this.random = seededRandom(f.seed);
    if (f.paper) this.model.paperOut = f.paper === 'out';
    if (f.powerLoss === 'now') this.powerCut();
  }

  /** Called when a power-loss fault fires (the pty front then waits for someone to switch it on). */
  onPowerLost(l: () => void): void {
    this.onPowerLoss = l;
  }

  /** True after a power cut: the device stays dark until a new one is built from the state file. */
  get poweredOff(): boolean {
    return this.dark;
  }

  close(): void {
    this.dark = true;
    for (const t of this.timers) clearTimeout(t);
    clearTimeout(this.byteTimer);
  }

  /** Bytes from the host: on the wire for their transmission time before the device sees them. */
  receive(chunk: Buffer): void {
    this.stats.bytesIn += chunk.length;
    if (this.dark || this.faults.silent) return;
    const noisy = this.noisy(chunk);
    if (this.byteMs === 0) return this.onBytes(noisy);
    this.rxFreeAt = Math.max(Date.now(), this.rxFreeAt) + chunk.length * this.byteMs;
    this.later(this.rxFreeAt, () => this.onBytes(noisy));
  }

  private onBytes({ bytes, damaged }: NoisyBytes): void {
    clearTimeout(this.byteTimer);
    if (!damaged) {
      for (const p of this.reader.push(bytes)) this.onPacket(p);
    } else {
      // Byte by byte, so a packet the CRC accepted is known to have had a damaged byte in it.
      for (let i = 0; i < bytes.length; i++) {
        if (bytes[i] === 0xfe) this.tainted = false;
        this.tainted ||= damaged[i] === 1;
        for (const p of this.reader.push(bytes.subarray(i, i + 1))) {
          if (p.ok && this.tainted) this.stats.undetectedCorruptions++;
          this.onPacket(p);
        }
      }
    }
    // A frame whose rest never comes is dropped, so the next FE starts clean.
    this.byteTimer = setTimeout(() => this.reader.drop(), this.byteTimeoutMs);
  }

  private later(at: number, f: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.dark) f();
    }, Math.max(0, at - Date.now()));
    this.timers.add(t);
  }

  private onPacket(p: Packet): void {
    this.stats.packetsIn++;
    if (this.faults.dropAddsNext && p.ok && p.data[0] === 0xc1) {
      this.faults.dropAddsNext--;
      return;
    }
    if (this.faults.dropAcksNext && p.ok && p.data[0] === 0xc2) {
      this.faults.dropAcksNext--;
      return;
    }
    // ADD = C1 flags tid, then the request: password (2) and the command code.
    if (this.faults.dropAddOf != null && p.ok && p.data[0] === 0xc1 && p.data[5] === this.faults.dropAddOf) {
      this.faults.dropAddOf = null;
      return;
    }
    if (!p.ok) {
      // "Send that packet again": an empty packet with its id (PROTOCOL.md §2).
      if (p.id !== undefined) this.send(p.id, []);
      return;
    }
    const [cmd, a, b] = p.data;
    switch (cmd) {
      case 0xc1:
        return this.add(p.id, b ?? 0, Buffer.from(p.data.slice(3)));
      case 0xc2:
        this.tasks.delete(a ?? -1);
        return;
      case 0xc3:
        return this.send(p.id, this.statusOf(a ?? -1));
      case 0xc4:
        this.tasks.clear();
        this.queue.length = 0;
        return this.send(p.id, [0xa3]);
      default:
        return this.send(p.id, [0xb4]);
    }
  }

  private add(packetId: number, tid: number, request: Buffer): void {
    if (this.tasks.has(tid)) {
      this.stats.duplicateAdds++;
      return this.send(packetId, [0xb2]);
    }
    if (this.tasks.size >= 32) return this.send(packetId, [0xb1]);
    this.tasks.set(tid, { code: request[2] ?? 0, status: 'pending' });
    this.queue.push(tid);
    this.pump(request, tid);
    this.send(packetId, this.statusOf(tid));
  }

  private requests = new Map<number, Buffer>();

  private pump(request?: Buffer, tid?: number): void {
    if (request && tid !== undefined) this.requests.set(tid, request);
    if (this.running) return;
    const next = this.queue.shift();
    if (next === undefined) return;
    const task = this.tasks.get(next);
    const req = this.requests.get(next);
    this.requests.delete(next);
    if (!task || !req) return this.pump();
    this.running = true;
    task.status = 'running';
    const { answer, durationMs, failed } = this.model.execute(req);
    this.stats.tasksRun++;
    const finish = (): void => {
      this.running = false;
      task.status = 'done';
      task.answer = answer;
      task.failed = failed;
      if (this.faults.powerLossAfter === task.code || this.diesAfter(task.code, failed)) {
        this.powerCut();
        return;
      }
      this.paperRunsOutAfter(task.code, failed);
      this.pump();
    };
    if (durationMs === 0) return finish();
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.dark) finish();
    }, durationMs);
    this.timers.add(t);
  }

  /** Positions registered in the open receipt, when this task registered one. */
  private positionsAfter(code: number, failed: boolean): number {
    return code === POSITION && !failed ? (this.model.state.receipt?.lines.length ?? 0) : 0;
  }

  /** The shared power-loss fault, read in ATOL's commands: a position (E6) or the receipt's close (4A) took effect. */
  private diesAfter(code: number, failed: boolean): boolean {
    const pl = this.faults.powerLoss;
    if (pl === 'afterCloseFiscalized') return code === CLOSE_RECEIPT && !failed;
    return typeof pl === 'object' && pl !== null && this.positionsAfter(code, failed) >= pl.afterPositions;
  }

  /** The K-th position is registered and printed; the paper ends under it (the next print refuses). */
  private paperRunsOutAfter(code: number, failed: boolean): void {
    const k = this.faults.paperOutAfterPositions;
    if (k == null || this.positionsAfter(code, failed) < k) return;
    this.faults.paperOutAfterPositions = null;
    this.model.paperOut = true;
  }

  /** The state file already holds what the command did; RAM (task buffer, answers) is gone. */
  private powerCut(): void {
    this.tasks.clear();
    this.queue.length = 0;
    this.faults.powerLoss = null;
    this.close();
    this.onPowerLoss?.();
  }

  private statusOf(tid: number): number[] {
    const t = this.tasks.get(tid);
    if (!t) return [0xb3];
    if (t.status === 'pending') return [0xa1];
    if (t.status === 'running') return [0xa2];
    const answer = [...(t.answer ?? Buffer.alloc(0))];
    return [t.failed ? 0xa4 : 0xa3, ...answer];
  }

  private send(id: number, data: number[]): void {
    if (this.dark) return;
    let bytes = wireFrame(id, data, this.faults.badChecksumNext ? 0x5a : 0);
    if (this.faults.badChecksumNext) this.faults.badChecksumNext--;
    const drop = this.faults.dropNextAnswerBytes ?? 0;
    if (drop > 0) {
      this.faults.dropNextAnswerBytes = 0;
      bytes = bytes.slice(0, Math.max(1, bytes.length - drop));
    }
    if (this.faults.loseByteNext && bytes.length > 5) {
      this.faults.loseByteNext--;
      const mid = Math.floor(bytes.length / 2);
      bytes = [...bytes.slice(0, mid), ...bytes.slice(mid + 1)];
    }
    this.stats.framesOut++;
    this.stats.bytesOut += bytes.length;
    const noisy = this.noisy(Buffer.from(bytes));
    if (noisy.damaged && undetectedByHost(noisy)) this.stats.undetectedCorruptions++;
    if (this.byteMs === 0) return this.transmit(noisy.bytes);
    // The host has the frame once its last byte is on the line.
    this.txFreeAt = Math.max(Date.now(), this.txFreeAt) + bytes.length * this.byteMs;
    this.later(this.txFreeAt, () => this.transmit(noisy.bytes));
  }

  /** The line's noise: bytes lost or changed at random, in either direction. */
  private noisy(bytes: Buffer): NoisyBytes {
    const loss = this.faults.lossProbability ?? 0;
    const corrupt = this.faults.corruptProbability ?? 0;
    if (loss === 0 && corrupt === 0) return { bytes, damaged: undefined };
    const out: number[] = [];
    const damaged: number[] = [];
    let lostBefore = false;
    for (const b of bytes) {
      if (this.random() < loss) {
        lostBefore = true;
        continue;
      }
      const changed = this.random() < corrupt;
      out.push(changed ? (b + 1 + Math.floor(this.random() * 255)) & 0xff : b);
      damaged.push(changed || lostBefore ? 1 : 0);
      lostBefore = false;
    }
    return { bytes: Buffer.from(out), damaged: Uint8Array.from(damaged) };
  }
}
