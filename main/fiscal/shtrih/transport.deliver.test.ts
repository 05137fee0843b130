import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeFrame, splitCommand } from './frameCodec';
import { AppError, isAppError } from '../../appError';
import type { FiscalPort } from '../port';
import { closeRigs, FAST, fnStatusPayload, rig, statusPayload, type ToHost } from './transportTestRig';

/**
 * The Shtrih-M link after ENQ/NAK said "ready": our frame until the device has it, then its answer
 * (transport.ts deliver, probe, replyToEnq, reply and the errors they end in; issue 11 point 7, StrykerJS
 * survivors transport.ts 198–379). Each case damages the line at one point of the exchange and checks what
 * the device and the caller see: the host's bytes on the wire, the counters, how many times the device ran
 * the command, and what the caller is told.
 */
afterEach(closeRigs);

const ENQ = 0x05;
const STX = 0x02;
const ACK = 0x06;
const NAK = 0x15;
const NAMES: Record<number, string> = { [ENQ]: 'E', [STX]: 'F', [ACK]: 'A', [NAK]: 'N' };
const isControl = (bytes: Buffer, byte: number): boolean => bytes.length === 1 && bytes[0] === byte;
const isFrame = (bytes: Buffer): boolean => bytes[0] === STX;
/** An answer to 0x10 the host never confirmed, as a late copy on the line would bring it. */
const oldStatusAnswer = encodeFrame(Buffer.from([0x10, 0x00, 30, 0x02, 0x00]));

/**
 * What crossed the line, in order. `host` spells the host's writes: E ENQ, F frame, A ACK, N NAK (a write
 * that is none of them shows as '?').
 */
function line(): {
  trace: (direction: '>' | '<', bytes: Buffer) => void;
  readonly host: string;
  readonly frames: number;
  /** The host's writes that came after its first frame. */
  readonly afterFrame: string;
  log: Array<{ direction: '>' | '<'; bytes: Buffer; at: number }>;
} {
  const log: Array<{ direction: '>' | '<'; bytes: Buffer; at: number }> = [];
  const host = (): string =>
    log
      .filter((e) => e.direction === '>')
      .map((e) => (e.bytes.length === 1 || isFrame(e.bytes) ? (NAMES[e.bytes[0] ?? -1] ?? '?') : '?'))
      .join('');
  return {
    trace: (direction, bytes) => log.push({ direction, bytes: Buffer.from(bytes), at: Date.now() }),
    get host() {
      return host();
    },
    get frames() {
      return host().split('F').length - 1;
    },
    get afterFrame() {
      const h = host();
      return h.slice(h.indexOf('F') + 1);
    },
    log,
  };
}

const count = (s: string, c: string): number => s.split(c).length - 1;

/**
 * A hook for either direction of the cable: the first `times` chunks that `match` are handed to `act` (which
 * drops them by default, or replaces or adds to them); every other chunk passes. `hits` says how often.
 */
function fault(match: (bytes: Buffer) => boolean, act: (bytes: Buffer, deliver: (b: Buffer) => void) => void = () => undefined, times = 1): { hook: ToHost; readonly hits: number } {
  let hits = 0;
  return {
    hook: (bytes, deliver) => {
      if (hits < times && match(bytes)) {
        hits++;
        act(bytes, deliver);
      } else deliver(bytes);
    },
    get hits() {
      return hits;
    },
  };
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isAppError(e)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

/** The device's ACK to our frame (the first one). */
const ackToOurFrame =
  (wire: { readonly frames: number }) =>
  (bytes: Buffer): boolean =>
    wire.frames === 1 && isControl(bytes, ACK);

/** The ACK to our frame reaches the host with `extra` right behind it. */
const behindOurAck = (wire: { readonly frames: number }, extra: Buffer): ReturnType<typeof fault> =>
  fault(ackToOurFrame(wire), (ack, deliver) => {
    deliver(ack);
    deliver(extra);
  });

/**
 * FAST with room for a loaded machine where a test does not measure the ENQ and ACK waits themselves: a reply
 * that came 40 ms late would add an ENQ to the bytes the test compares.
 */
const ROOMY = { ...FAST, enqMs: 150, ackMs: 200 };

const ANSWER_LOST_MESSAGE = 'Связь с фискальным принтером прервалась во время операции. Результат будет проверен по данным принтера.';

/** The caller's view of an exchange that ended with the command possibly executed. */
async function expectPossiblyExecuted(p: Promise<unknown>, why: string): Promise<void> {
  const e = await failure(p);
  expect({ code: e.code, retry: e.retry, message: e.message, detail: e.detail }).toEqual({
    code: 'FISCAL_ANSWER_LOST',
    retry: 'unknown-outcome',
    message: ANSWER_LOST_MESSAGE,
    detail: `command 0xFF01: ${why}; the device may have executed it`,
  });
}

/**
 * A cable the test can pull: the port reports the OS's error and closes, as a serial port does when its USB
 * adapter goes. Bytes already on their way still arrive first.
 */
function pullableCable(): { port: (cable: FiscalPort) => FiscalPort; pull: (error: Error) => void } {
  const closeListeners = new Set<(error?: Error) => void>();
  let pulled = false;
  return {
    port: (cable) => ({
      description: cable.description,
      get isOpen() {
        return !pulled && cable.isOpen;
      },
      write: (bytes) => cable.write(bytes),
      onData: (l) => cable.onData(l),
      onClose: (l) => {
        closeListeners.add(l);
        return () => closeListeners.delete(l);
      },
      close: () => cable.close(),
    }),
    pull: (error) => {
      pulled = true;
      setImmediate(() => {
        for (const l of [...closeListeners]) l(error);
      });
    },
  };
}

describe('ShtrihTransport: the answer is taken only when it is ours', () => {
  it('the ACK to our frame is lost and the answer follows: the answer is taken and confirmed at once, without asking', async () => {
    const wire = line();
    const lostAck = fault(ackToOurFrame(wire));
    const { transport, device } = rig({}, lostAck.hook, wire.trace, ROOMY);
    const answer = await transport.exchange(fnStatusPayload);
    expect(splitCommand(answer).code).toBe(0xff01);
    expect(lostAck.hits).toBe(1);
    expect(wire.afterFrame).toBe('A');
    expect(transport.stats.roundTrips).toBe(2);
    expect(device.link.stats.commands).toBe(1);
  });

  it("another command's old answer in place of the ACK to our frame is not taken as ours: the device is asked, ours is returned", async () => {
    const wire = line();
    const replaced = fault(
      ackToOurFrame(wire),
      (_, deliver) => deliver(oldStatusAnswer),
    );
    const { transport, device } = rig({}, replaced.hook, wire.trace, ROOMY, { processingScale: 1, processing: { fnQuery: 30 } });
    const answer = await transport.exchange(fnStatusPayload);
    expect(replaced.hits).toBe(1);
    expect(splitCommand(answer).code).toBe(0xff01);
    expect(wire.frames).toBe(1);
    expect(device.link.stats.commands).toBe(1);
  });

  it("another command's old answer while we wait for ours: confirmed and set aside, ours is returned", async () => {
    const wire = line();
    const old = behindOurAck(wire, oldStatusAnswer);
    const { transport, device } = rig({}, old.hook, wire.trace, ROOMY, { processingScale: 1, processing: { fnQuery: 50 } });
    const answer = await transport.exchange(fnStatusPayload);
    expect(old.hits).toBe(1);
    expect(splitCommand(answer).code).toBe(0xff01);
    expect(transport.stats.staleAnswers).toBe(1);
    expect(wire.afterFrame).toBe('AA');
    expect(device.link.stats.commands).toBe(1);
  });

  it('a stray ACK while we wait for the answer is no damaged answer: nothing NAKed, nothing asked', async () => {
    const wire = line();
    const doubled = behindOurAck(wire, Buffer.from([ACK]));
    const { transport } = rig({}, doubled.hook, wire.trace, ROOMY, { processingScale: 1, processing: { fnQuery: 50 } });
    expect(splitCommand(await transport.exchange(fnStatusPayload)).code).toBe(0xff01);
    expect(doubled.hits).toBe(1);
    expect(wire.afterFrame).toBe('A');
    expect(transport.stats.naksSent).toBe(0);
  });

  it('an ENQ byte from the line (our own echoed, or noise) is not the reply to our frame', async () => {
    const wire = line();
    const echoed = fault(
      ackToOurFrame(wire),
      (ack, deliver) => {
        deliver(Buffer.from([ENQ]));
        deliver(ack);
      },
    );
    const { transport } = rig({}, echoed.hook, wire.trace, ROOMY);
    expect(splitCommand(await transport.exchange(fnStatusPayload)).code).toBe(0xff01);
    expect(echoed.hits).toBe(1);
    expect(wire.afterFrame).toBe('A');
  });
});

describe('ShtrihTransport: the ENQ that asks whether the device holds our command', () => {
  /**
   * The ACK to our frame is lost and the answer held back until the host asks with ENQ; then `reply` is what
   * reaches the host in answer to that ENQ (the device's own ACK and answer copy to it are lost).
   */
  function answerInReplyToTheAsk(reply: (answer: Buffer) => Buffer[]): ReturnType<typeof rig> & { wire: ReturnType<typeof line>; released: () => number } {
    const wire = line();
    let acks = 0;
    let held: { answer: Buffer; deliver: (b: Buffer) => void } | undefined;
    let released = 0;
    let answers = 0;
    const r = rig(
      {},
      (bytes, deliver) => {
        if (wire.frames === 0) return deliver(bytes);
        if (isControl(bytes, ACK) && ++acks <= 2) return;
        if (isFrame(bytes) && ++answers === 1) {
          held = { answer: bytes, deliver };
          return;
        }
        if (isFrame(bytes) && answers === 2) return;
        deliver(bytes);
      },
      wire.trace,
      ROOMY,
      {
        toDevice: (bytes, deliver) => {
          if (held && released === 0 && isControl(bytes, ENQ)) {
            released++;
            for (const b of reply(held.answer)) held.deliver(b);
          }
          deliver(bytes);
        },
      },
    );
    return Object.assign(r, { wire, released: () => released });
  }

  it('the answer itself comes in reply: taken, the frame is not sent again', async () => {
    const { transport, device, wire, released } = answerInReplyToTheAsk((answer) => [answer]);
    expect(splitCommand(await transport.exchange(fnStatusPayload)).code).toBe(0xff01);
    expect(released()).toBe(1);
    expect(wire.afterFrame).toBe('EA');
    expect(transport.stats.lateReplies).toBe(0);
    expect(device.link.stats.commands).toBe(1);
  });

  it('a damaged answer comes in reply: NAKed and asked again, the frame is not sent again', async () => {
    const { transport, device, wire, released } = answerInReplyToTheAsk((answer) => {
      const bad = Buffer.from(answer);
      bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0x5a;
      return [bad];
    });
    expect(splitCommand(await transport.exchange(fnStatusPayload)).code).toBe(0xff01);
    expect(released()).toBe(1);
    expect(wire.afterFrame).toBe('ENEA');
    expect(transport.stats.naksSent).toBe(1);
    expect(device.link.stats.commands).toBe(1);
  });

  it('an answer that loses its tail comes in reply: NAKed once the line stays quiet, asked again, the frame is not sent again', async () => {
    const { transport, device, wire, released } = answerInReplyToTheAsk((answer) => [answer.subarray(0, 4)]);
    expect(splitCommand(await transport.exchange(fnStatusPayload)).code).toBe(0xff01);
    expect(released()).toBe(1);
    expect(wire.afterFrame).toBe('ENEA');
    expect(transport.stats.naksSent).toBe(1);
    expect(device.link.stats.commands).toBe(1);
  });

  it("our frame was lost and another command's old answer comes in reply: not read as 'holds ours' — the frame is sent again once the device says NAK, and runs once", async () => {
    const wire = line();
    const lostFrame = fault(isFrame);
    const old = fault(
      (b) => lostFrame.hits === 1 && isControl(b, ENQ),
      (enq, deliver) => {
        void r.deviceEnd.write(oldStatusAnswer);
        deliver(enq);
      },
    );
    const r = rig({}, undefined, wire.trace, ROOMY, { toDevice: (bytes, deliver) => lostFrame.hook(bytes, (b) => old.hook(b, deliver)) });
    expect(splitCommand(await r.transport.exchange(fnStatusPayload)).code).toBe(0xff01);
    expect(old.hits).toBe(1);
    expect(wire.frames).toBe(2);
    expect(r.transport.stats.frameResends).toBe(1);
    expect(r.transport.stats.naksSent).toBe(0);
    expect(r.device.link.stats.commands).toBe(1);
  });
});

describe('ShtrihTransport: noise while the answer is awaited', () => {
  it('noise is not NAKed (a NAK answers a damaged frame): the host asks with ENQ and takes the answer', async () => {
    const wire = line();
    const noisy = behindOurAck(wire, Buffer.from([0x00, 0x13]));
    const { transport, device } = rig({}, noisy.hook, wire.trace, ROOMY, { processingScale: 1, processing: { fnQuery: 100 } });
    expect(splitCommand(await transport.exchange(fnStatusPayload)).code).toBe(0xff01);
    expect(noisy.hits).toBe(1);
    expect(wire.afterFrame).toBe('EA');
    expect(transport.stats.naksSent).toBe(0);
    expect(device.link.stats.commands).toBe(1);
  });

  it('two bursts of noise just before the answer: the answer that follows within the quiet gap is taken as it is', async () => {
    const wire = line();
    const noisy = fault(
      (b) => wire.frames === 1 && isFrame(b),
      (answer, deliver) => {
        deliver(Buffer.from([0x00, 0x13]));
        deliver(Buffer.from([0x7f]));
        deliver(answer);
      },
    );
    const { transport } = rig({}, noisy.hook, wire.trace, ROOMY);
    expect(splitCommand(await transport.exchange(fnStatusPayload)).code).toBe(0xff01);
    expect(noisy.hits).toBe(1);
    expect(wire.afterFrame).toBe('A');
    expect(transport.stats.naksSent).toBe(0);
  });
});

describe('ShtrihTransport: a device that works long, goes silent, or sends only damaged answers', () => {
  it('a device busy well past answerMs is asked every min(answerMs, 1 s) — never NAKed for being slow — and its answer taken', async () => {
    const wire = line();
    const { transport, device } = rig({}, undefined, wire.trace, { ...ROOMY, maxBusyMs: 20_000 }, { processingScale: 1, processing: { fnQuery: 2_400 } });
    expect(splitCommand(await transport.exchange(fnStatusPayload)).code).toBe(0xff01);
    // About one ask per 300 ms of the 2.4 s: asking only once a second would make 2 or 3.
    expect(count(wire.afterFrame, 'E')).toBeGreaterThanOrEqual(5);
    expect(wire.afterFrame.endsWith('A')).toBe(true);
    expect(transport.stats.naksSent).toBe(0);
    expect(wire.frames).toBe(1);
    expect(device.link.stats.commands).toBe(1);
  });

  it('every copy of the answer damaged: each NAKed on the wire, given up after twice maxFrameSends copies as possibly executed', async () => {
    const wire = line();
    const { transport, device } = rig({ badChecksumNext: 1_000 }, undefined, wire.trace, { ...ROOMY, maxBusyMs: 20_000 }, { host: { maxFrameSends: 4 } });
    await expectPossiblyExecuted(transport.exchange(fnStatusPayload), 'answer never arrived intact');
    // Copies 1..8 are NAKed and asked for again; the 9th ends the wait.
    expect(transport.stats.naksSent).toBe(8);
    expect(wire.afterFrame).toBe('NE'.repeat(8));
    expect(device.link.stats.commands).toBe(1);
  });

  it('the device goes silent after taking the frame: maxEnqAttempts asks, then possibly executed at once (not after the busy limit)', async () => {
    const wire = line();
    let acked = false;
    const deadAfterAck: ToHost = (bytes, deliver) => {
      if (acked) return;
      acked = wire.frames === 1 && isControl(bytes, ACK);
      deliver(bytes);
    };
    const { transport, device } = rig({}, deadAfterAck, wire.trace, { ...ROOMY, maxBusyMs: 4_000 }, { host: { maxEnqAttempts: 3 } });
    const t0 = Date.now();
    await expectPossiblyExecuted(transport.exchange(fnStatusPayload), 'device went silent');
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(wire.afterFrame).toBe('EEE');
    expect(transport.stats.roundTrips).toBe(count(wire.host, 'E') + wire.frames);
    expect(device.link.stats.commands).toBe(1);
  });
});

describe('ShtrihTransport: what the caller is told when an exchange ends without an answer', () => {
  it('the device never takes the frame: after maxFrameSends sends, possibly executed', async () => {
    const wire = line();
    const { transport } = rig({}, undefined, wire.trace, ROOMY, { host: { maxFrameSends: 3 }, toDevice: fault(isFrame, undefined, Infinity).hook });
    await expectPossiblyExecuted(transport.exchange(fnStatusPayload), 'frame not accepted after 3 sends');
    expect(wire.frames).toBe(3);
  });

  it('the line from the device goes dead as the frame goes out: possibly executed, the frame not sent again', async () => {
    const wire = line();
    const { transport } = rig({}, (bytes, deliver) => void (wire.frames === 0 && deliver(bytes)), wire.trace, ROOMY);
    await expectPossiblyExecuted(transport.exchange(fnStatusPayload), 'no reply while confirming the frame');
    expect(wire.frames).toBe(1);
  });

  it('the device restarts before it answers: it holds nothing, possibly executed', async () => {
    const wire = line();
    const blip = fault(
      (b) => wire.frames === 1 && isFrame(b),
      () => {
        r.device.link.powerOff();
        r.device.link.powerOn();
      },
    );
    const r = rig({}, blip.hook, wire.trace, ROOMY);
    await expectPossiblyExecuted(r.transport.exchange(fnStatusPayload), 'device reports no pending answer');
    expect(wire.frames).toBe(1);
  });

  it('the device stays busy past maxBusyMs: possibly executed', async () => {
    const { transport } = rig({}, undefined, undefined, { ...ROOMY, maxBusyMs: 400 }, { processingScale: 1, processing: { fnQuery: 10_000 } });
    await expectPossiblyExecuted(transport.exchange(fnStatusPayload), 'device stayed busy past the limit');
  });

  it('a device that never answers ENQ: not delivered (transient), the command code written with two hex digits', async () => {
    const { transport } = rig({ silent: true });
    const e = await failure(transport.exchange(Buffer.from([0x0b, 30, 0, 0, 0])));
    expect({ code: e.code, retry: e.retry, message: e.message, detail: e.detail }).toEqual({
      code: 'FISCAL_NO_ANSWER',
      retry: 'transient',
      message: 'Фискальный принтер не отвечает. Проверьте, что он включён и кабель подключён.',
      detail: 'command 0x0B: no reply to ENQ; the command was not delivered',
    });
  });

  it('a transport the app closed: FISCAL_PORT_CLOSED, possibly executed, with no cause', async () => {
    const { transport } = rig();
    await transport.close();
    const e = await failure(transport.exchange(statusPayload));
    expect({ code: e.code, retry: e.retry, message: e.message, detail: e.detail, cause: e.cause }).toEqual({
      code: 'FISCAL_PORT_CLOSED',
      retry: 'unknown-outcome',
      message: 'Порт фискального принтера закрыт. Проверьте подключение.',
      detail: 'port closed',
      cause: undefined,
    });
  });
});

describe('ShtrihTransport: the cable pulled mid-exchange', () => {
  const unplugged = new Error('EIO: the USB serial adapter is gone');

  async function expectPulled(p: Promise<unknown>): Promise<void> {
    const e = await failure(p);
    expect({ code: e.code, retry: e.retry, message: e.message, detail: e.detail, cause: e.cause }).toEqual({
      code: 'FISCAL_PORT_CLOSED',
      retry: 'unknown-outcome',
      message: 'Порт фискального принтера закрыт. Проверьте подключение.',
      detail: `port closed: ${unplugged.message}`,
      cause: unplugged,
    });
  }

  it('as our frame goes out (the device never gets it): possibly executed all the same — the host cannot know — with the port error as cause', async () => {
    const cable = pullableCable();
    const wire = line();
    const pullAtFrame = fault(isFrame, () => cable.pull(unplugged));
    const { transport, device } = rig({}, undefined, wire.trace, ROOMY, { port: cable.port, toDevice: pullAtFrame.hook });
    await expectPulled(transport.exchange(fnStatusPayload));
    expect(wire.afterFrame).toBe('');
    expect(device.link.stats.commands).toBe(0);
  });

  it('while the answer is awaited: possibly executed, with the port error as cause', async () => {
    const cable = pullableCable();
    const wire = line();
    const pullAfterAck = fault(
      ackToOurFrame(wire),
      (ack, deliver) => {
        deliver(ack);
        cable.pull(unplugged);
      },
    );
    const { transport, device } = rig({}, pullAfterAck.hook, wire.trace, ROOMY, { port: cable.port, processingScale: 1, processing: { fnQuery: 200 } });
    await expectPulled(transport.exchange(fnStatusPayload));
    expect(wire.afterFrame).toBe('');
    expect(device.link.stats.commands).toBe(1);
  });

  it('while the host asks whether the device holds our command: possibly executed, with the port error as cause', async () => {
    const cable = pullableCable();
    const wire = line();
    const lostAck = fault(ackToOurFrame(wire));
    const pullAtAsk = fault(
      (b) => wire.frames === 1 && isControl(b, ENQ),
      () => cable.pull(unplugged),
    );
    const { transport, device } = rig({}, lostAck.hook, wire.trace, ROOMY, { port: cable.port, processingScale: 1, processing: { fnQuery: 300 }, toDevice: pullAtAsk.hook });
    await expectPulled(transport.exchange(fnStatusPayload));
    expect(wire.afterFrame).toBe('E');
    expect(device.link.stats.commands).toBe(1);
  });
});

describe('ShtrihTransport: replies that come late, or not at all', () => {
  /** When the host received the first reply byte `byte` after its first frame, and when it next wrote an ENQ. */
  function gapToNextEnq(wire: ReturnType<typeof line>, byte: number): number {
    const firstFrame = wire.log.findIndex((e) => e.direction === '>' && isFrame(e.bytes));
    const reply = wire.log.findIndex((e, i) => i > firstFrame && e.direction === '<' && isControl(e.bytes, byte));
    const enq = wire.log.findIndex((e, i) => i > reply && e.direction === '>' && isControl(e.bytes, ENQ));
    expect(firstFrame >= 0 && reply > firstFrame && enq > reply).toBe(true);
    return (wire.log[enq]?.at ?? 0) - (wire.log[reply]?.at ?? 0);
  }

  it("the ACK to our frame arrives after the host began asking with ENQ: it still says 'the device holds our command' — no second ask, no resend", async () => {
    const wire = line();
    let held: { ack: Buffer; deliver: (b: Buffer) => void } | undefined;
    let released = 0;
    let askReplies = 0;
    const { transport, device } = rig(
      {},
      (bytes, deliver) => {
        if (wire.frames === 1 && !held && isControl(bytes, ACK)) {
          held = { ack: bytes, deliver };
          return;
        }
        // The device's own reply to that ENQ is lost.
        if (released === 1 && askReplies === 0 && isControl(bytes, ACK)) {
          askReplies++;
          return;
        }
        deliver(bytes);
      },
      wire.trace,
      { ...ROOMY, answerMs: 2_000 },
      {
        processingScale: 1,
        processing: { fnQuery: 1_000 },
        toDevice: (bytes, deliver) => {
          if (held && released === 0 && isControl(bytes, ENQ)) {
            released++;
            held.deliver(held.ack);
          }
          deliver(bytes);
        },
      },
    );
    expect(splitCommand(await transport.exchange(fnStatusPayload)).code).toBe(0xff01);
    expect([released, askReplies]).toEqual([1, 1]);
    expect(wire.afterFrame).toBe('EA');
    expect(device.link.stats.commands).toBe(1);
  });

  it('our frame was lost, so the NAK to the ENQ after it may be a late reply: the host waits enqMs for another, then settleMs of quiet, and only then asks again', async () => {
    const wire = line();
    const slowEnq = { ...ROOMY, enqMs: 200 };
    const { transport, device } = rig({}, undefined, wire.trace, slowEnq, { toDevice: fault(isFrame).hook });
    expect(splitCommand(await transport.exchange(fnStatusPayload)).code).toBe(0xff01);
    expect(gapToNextEnq(wire, NAK)).toBeGreaterThanOrEqual(slowEnq.enqMs + slowEnq.settleMs - 2);
    expect(transport.stats.lateReplies).toBe(1);
    expect(wire.frames).toBe(2);
    expect(device.link.stats.commands).toBe(1);
  });

  it('the replies to two ENQs are lost: the line must stay quiet settleMs before the next NAK is trusted as the reply to the newest ENQ', async () => {
    const wire = line();
    const lostNaks = fault((b) => isControl(b, NAK), undefined, 2);
    const { transport, device } = rig({}, lostNaks.hook, wire.trace, ROOMY);
    expect(splitCommand(await transport.exchange(fnStatusPayload)).code).toBe(0xff01);
    expect(lostNaks.hits).toBe(2);
    expect(wire.host).toBe('EEEFA');
    const enqs = wire.log.filter((e) => e.direction === '>' && isControl(e.bytes, ENQ));
    expect((enqs[2]?.at ?? 0) - (enqs[1]?.at ?? 0)).toBeGreaterThanOrEqual(ROOMY.enqMs + ROOMY.settleMs - 2);
    expect(transport.stats.lateReplies).toBe(0);
    expect(device.link.stats.commands).toBe(1);
  });
});

/**
 * On a slow line every wait is stretched by the wire time of the bytes it waits for (10 bits a byte), so a
 * long frame or answer is not taken for a lost one. Lower bounds are measured between the host's own writes.
 */
describe('ShtrihTransport: waits stretched by the wire time at the port speed', () => {
  const SLOW_LINE = { ...FAST, enqMs: 100, ackMs: 200 };
  const byteMs = (baud: number): number => 10_000 / baud;

  it('a silent device: each ENQ waits enqMs plus the wire time of the ENQ and its reply', async () => {
    const baud = 300;
    const wire = line();
    const { transport } = rig({ silent: true }, undefined, wire.trace, ROOMY, { baudRate: baud });
    expect((await failure(transport.exchange(fnStatusPayload))).code).toBe('FISCAL_NO_ANSWER');
    const enqs = wire.log.filter((e) => e.direction === '>');
    expect((enqs[1]?.at ?? 0) - (enqs[0]?.at ?? 0)).toBeGreaterThanOrEqual(ROOMY.enqMs + 2 * byteMs(baud) - 2);
  });

  it('a frame lost on the way: the host waits ackMs plus the wire time of the frame and its ACK before it asks', async () => {
    const baud = 300;
    const wire = line();
    const { transport, device } = rig({}, undefined, wire.trace, SLOW_LINE, { baudRate: baud, toDevice: fault(isFrame).hook });
    expect(splitCommand(await transport.exchange(fnStatusPayload)).code).toBe(0xff01);
    const frameBytes = fnStatusPayload.length + 3;
    const frame = wire.log.findIndex((e) => e.direction === '>' && isFrame(e.bytes));
    const ask = wire.log.findIndex((e, i) => i > frame && e.direction === '>' && isControl(e.bytes, ENQ));
    expect((wire.log[ask]?.at ?? 0) - (wire.log[frame]?.at ?? 0)).toBeGreaterThanOrEqual(SLOW_LINE.ackMs + (frameBytes + 1) * byteMs(baud) - 2);
    expect(device.link.stats.commands).toBe(1);
  });

  it('a device busy longer than answerMs: the host asks no sooner than answerMs plus a full answer’s wire time, and as long again between asks', async () => {
    const baud = 2_400;
    const wire = line();
    const { transport, device } = rig({}, undefined, wire.trace, SLOW_LINE, { baudRate: baud, processingScale: 1, processing: { fnQuery: 1_600 } });
    expect(splitCommand(await transport.exchange(fnStatusPayload)).code).toBe(0xff01);
    // answerMs (300) + 258 bytes (1 075 ms) = 1 375 ms a wait: at most one ask before the answer at ~1.7 s.
    expect(count(wire.afterFrame, 'E')).toBeLessThanOrEqual(1);
    expect(device.link.stats.commands).toBe(1);
  });

  it('noise just before the answer: the quiet gap the host waits for is stretched by 4 bytes of wire time, so an answer inside it is taken', async () => {
    const baud = 300;
    const wire = line();
    const noisy = fault(
      (b) => wire.frames === 1 && isFrame(b),
      (answer, deliver) => {
        deliver(Buffer.from([0x00, 0x13]));
        // Inside interByteMs (15) + 4 bytes at 300 baud (133) = 148 ms.
        setTimeout(() => deliver(answer), 60);
      },
    );
    const { transport } = rig({}, noisy.hook, wire.trace, SLOW_LINE, { baudRate: baud });
    expect(splitCommand(await transport.exchange(statusPayload)).code).toBe(0x10);
    expect(noisy.hits).toBe(1);
    expect(wire.afterFrame).toBe('A');
  });
});

describe('ShtrihTransport: the busy limit, on a clock the test moves', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a device still busy at maxBusyMs is asked once more at the limit itself, and given up only when a wait ends past it', async () => {
    // Only the host's clock is fake: the cable's and the device's turns (setImmediate) run for real between
    // the test's 1 ms steps, so every wait ends at exactly its millisecond.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const wire = line();
    const answersLost = fault((b) => wire.frames === 1 && isFrame(b), undefined, Infinity);
    const { transport, device } = rig({}, answersLost.hook, wire.trace, { ...FAST, answerMs: 300, maxBusyMs: 600 });
    let settled = false;
    const outcome = transport.exchange(fnStatusPayload);
    void outcome.catch(() => undefined).finally(() => (settled = true));
    for (let ms = 0; !settled && ms < 5_000; ms++) {
      for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      vi.advanceTimersByTime(1);
    }
    await expectPossiblyExecuted(outcome, 'device stayed busy past the limit');
    // Asked at 300 ms and at 600 ms (the limit), given up when the wait after that ends at 900 ms.
    expect(wire.afterFrame).toBe('EE');
    // The answer, and its copy after each of the two asks.
    expect(answersLost.hits).toBe(3);
    expect(device.link.stats.commands).toBe(1);
  });
});
