import { afterEach, describe, expect, it } from 'vitest';
import { ACK, ENQ, NAK, encodeFrame, splitCommand } from './frameCodec';
import { isAppError } from '../../appError';
import type { FiscalPort } from '../port';
import { closeRigs, expectAppError, FAST, fnStatusPayload, lineLog, rig, statusPayload, type ToHost } from './transportTestRig';

/**
 * The link's first half (issue 11 point 7, StrykerJS survivors in transport.ts lines 1–197): what the host
 * counts and traces, how a closed or failing port ends an exchange, and how waitReady gets the device ready
 * (PROTOCOL.md §Link: ENQ until NAK; an answer the device still holds is taken off the line — ACKed when
 * intact, NAKed and asked for again when damaged — never mistaken for ours). Each test reads what the
 * device or the caller sees: the host's bytes on the wire, the counters, the error and how long it took.
 */
afterEach(closeRigs);

const isAck = (b: Buffer): boolean => b.length === 1 && b[0] === ACK;

/** A cable that loses bytes on demand: `dropNext(test)` loses the next chunk the test matches, once. */
function lossyLine(): { hook: ToHost; dropNext(test: (b: Buffer) => boolean): void; readonly dropped: number } {
  let pending: ((b: Buffer) => boolean) | undefined;
  let dropped = 0;
  return {
    hook: (bytes, deliver) => {
      if (pending?.(bytes)) {
        pending = undefined;
        dropped++;
      } else deliver(bytes);
    },
    dropNext(test) {
      pending = test;
    },
    get dropped() {
      return dropped;
    },
  };
}

/** The cable as the transport sees it, with its close side replaced. */
function portOver(cable: FiscalPort, own: Pick<FiscalPort, 'onClose' | 'close'>): FiscalPort {
  return {
    get description() {
      return cable.description;
    },
    get isOpen() {
      return cable.isOpen;
    },
    write: (bytes) => cable.write(bytes),
    onData: (l) => cable.onData(l),
    ...own,
  };
}

/** The host's end of a serial line whose driver reports an I/O error while the port still counts as open
 * (node-serialport's 'error' after open, which port.ts turns into a close event). */
function erringPort(cable: FiscalPort): FiscalPort & { fail(error: Error): void } {
  const closeListeners = new Set<(error?: Error) => void>();
  const port = portOver(cable, {
    onClose: (l) => {
      closeListeners.add(l);
      const off = cable.onClose(l);
      return () => {
        closeListeners.delete(l);
        off();
      };
    },
    close: () => cable.close(),
  });
  return Object.assign(port, {
    fail(error: Error) {
      for (const l of [...closeListeners]) l(error);
    },
  });
}

/** A port that takes its time to close (a USB adapter flushing): it stays open until `finishClosing()`. */
function slowlyClosingPort(cable: FiscalPort): FiscalPort & { finishClosing(): void } {
  let finish: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (finish = resolve));
  const port = portOver(cable, {
    onClose: (l) => cable.onClose(l),
    close: async () => {
      await closed;
      await cable.close();
    },
  });
  return Object.assign(port, { finishClosing: () => finish() });
}

describe('ShtrihTransport: counters, trace and the port', () => {
  it('counts commands and every byte each way, and traces the device bytes as received', async () => {
    const log = lineLog();
    const { transport } = rig({}, undefined, log.trace);
    const a = await transport.exchange(statusPayload);
    const b = await transport.exchange(fnStatusPayload);
    expect(transport.stats.commands).toBe(2);
    // Per command: ENQ, the frame (STX LEN payload LRC), ACK out; NAK, ACK, the answer frame in.
    expect(transport.stats.bytesOut).toBe(2 * 2 + statusPayload.length + 3 + fnStatusPayload.length + 3);
    expect(transport.stats.bytesIn).toBe(2 * 2 + a.length + 3 + b.length + 3);
    expect(Buffer.concat(log.fromDevice)).toEqual(Buffer.from([NAK, ACK, ...encodeFrame(a), NAK, ACK, ...encodeFrame(b)]));
    expect(log.host).toEqual(['ENQ', 'frame 10', 'ACK', 'ENQ', 'frame ff01', 'ACK']);
  });

  it('a port error while the device is awaited ends the exchange at once as FISCAL_PORT_CLOSED, with the port error as cause', async () => {
    let port: ReturnType<typeof erringPort> | undefined;
    // A device that never answers and an ENQ wait far longer than the test: only the port error can end it.
    const { transport } = rig({ silent: true }, undefined, undefined, { ...FAST, enqMs: 5_000 }, { port: (cable) => (port = erringPort(cable)) });
    const t0 = Date.now();
    const pending = transport.exchange(statusPayload).catch((e: unknown) => e);
    setImmediate(() => port?.fail(new Error('write EIO')));
    const e = await pending;
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(isAppError(e) && { code: e.code, retry: e.retry, detail: e.detail, cause: e.cause }).toEqual({
      code: 'FISCAL_PORT_CLOSED',
      retry: 'unknown-outcome',
      detail: 'port closed: write EIO',
      cause: new Error('write EIO'),
    });
  });

  it('the cable closing while the device is awaited ends the exchange at once, not after the ENQ wait', async () => {
    const { transport, deviceEnd } = rig({ silent: true }, undefined, undefined, { ...FAST, enqMs: 5_000 });
    const t0 = Date.now();
    const pending = transport.exchange(statusPayload);
    setImmediate(() => void deviceEnd.close());
    await expectAppError(pending, 'FISCAL_PORT_CLOSED', 'unknown-outcome');
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it('a transport being closed writes nothing more, even while its port is still closing', async () => {
    let port: ReturnType<typeof slowlyClosingPort> | undefined;
    const { transport, device } = rig({}, undefined, undefined, FAST, { port: (cable) => (port = slowlyClosingPort(cable)) });
    const closing = transport.close();
    await expectAppError(transport.exchange(statusPayload), 'FISCAL_PORT_CLOSED', 'unknown-outcome');
    port?.finishClosing();
    await closing;
    expect(device.link.stats.bytesIn).toBe(0);
  });
});

describe('ShtrihTransport: ENQ until the device is ready', () => {
  it('a silent device on a slow line: exactly maxEnqAttempts ENQs, each waited enqMs plus its wire time, then FISCAL_NO_ANSWER (not delivered)', async () => {
    const log = lineLog();
    // 1200 baud: 8.3 ms a byte, so the wait for one ENQ's reply (ENQ out, reply in) grows by 16.7 ms.
    const { transport } = rig({ silent: true }, undefined, log.trace, FAST, { baudRate: 1_200 });
    const t0 = Date.now();
    const e = await transport.exchange(statusPayload).catch((err: unknown) => err);
    const took = Date.now() - t0;
    expect(isAppError(e) && { code: e.code, retry: e.retry, detail: e.detail }).toEqual({
      code: 'FISCAL_NO_ANSWER',
      retry: 'transient',
      detail: 'command 0x10: no reply to ENQ; the command was not delivered',
    });
    expect(log.host).toEqual(['ENQ', 'ENQ', 'ENQ', 'ENQ', 'ENQ']);
    expect(took).toBeGreaterThanOrEqual(5 * (FAST.enqMs + 2 * (10_000 / 1_200)) - 5);
    expect(took).toBeLessThan(2_000);
  }, 4_000);

  it('a stray ENQ byte on the line while the answer is awaited is neither a reply nor damage: no NAK, no extra ENQ', async () => {
    const log = lineLog();
    let sentFrame = false;
    let stray = 0;
    const { transport, device } = rig(
      {},
      (bytes, deliver) => {
        deliver(bytes);
        // Right after the device's ACK to our frame, while it works on the command.
        if (sentFrame && isAck(bytes) && stray === 0) {
          stray++;
          deliver(Buffer.from([ENQ]));
        }
      },
      (direction, bytes) => {
        if (direction === '>' && bytes[0] === 0x02) sentFrame = true;
        log.trace(direction, bytes);
      },
      FAST,
      { processingScale: 1, processing: { fnQuery: 80 } },
    );
    const answer = await transport.exchange(fnStatusPayload);
    expect(stray).toBe(1);
    expect(splitCommand(answer).code).toBe(0xff01);
    expect(log.host).toEqual(['ENQ', 'frame ff01', 'ACK']);
    expect(transport.stats.naksSent).toBe(0);
    expect(transport.stats.roundTrips).toBe(2);
    expect(device.link.stats.commands).toBe(1);
  });

  it('ENQs echoed back by the line do not count as replies: late NAKs are still skipped and the frame runs once', async () => {
    // Every device byte reaches the host 4 ENQ waits late, as in transport.test.ts's late-NAK case, and the
    // line echoes each of our ENQs at once. Counted as a reply, each echo would make a late NAK look like
    // the answer to our newest ENQ ("holds no command") and the frame would go out again.
    const lateMs = 4 * FAST.enqMs;
    const log = lineLog();
    const r = rig({}, (bytes, deliver) => void setTimeout(() => deliver(bytes), lateMs), log.trace, FAST, {
      toDevice: (bytes, receive) => {
        if (bytes.length === 1 && bytes[0] === ENQ) void r.deviceEnd.write(bytes);
        receive(bytes);
      },
    });
    const answer = await r.transport.exchange(fnStatusPayload);
    expect(splitCommand(answer).code).toBe(0xff01);
    expect(log.host.filter((w) => w.startsWith('frame'))).toEqual(['frame ff01']);
    expect(r.transport.stats.frameResends).toBe(0);
    expect(r.device.link.stats.commands).toBe(1);
  });
});

describe('ShtrihTransport: replies owed by the device', () => {
  it('the NAK to a damaged frame arriving after the ACK wait is counted as the frame\'s reply, not as the reply to the ENQ that follows', async () => {
    // Every device byte is 150 ms on the way (far longer than ackMs, half of enqMs), and our first frame
    // arrives damaged, so the device NAKs it. By then we have asked with ENQ: the frame's NAK is a late
    // reply, and only the NAK to that ENQ says "holds no command"; the frame goes out again and runs once.
    const timeouts = { ...FAST, enqMs: 300, ackMs: 40 };
    let damaged = 0;
    const log = lineLog();
    const { transport, device } = rig({}, (bytes, deliver) => void setTimeout(() => deliver(bytes), 150), log.trace, timeouts, {
      toDevice: (bytes, receive) => {
        if (bytes[0] === 0x02 && damaged++ === 0) receive(Buffer.from([...bytes.subarray(0, -1), (bytes.at(-1) ?? 0) ^ 0x21]));
        else receive(bytes);
      },
    });
    expect(splitCommand(await transport.exchange(fnStatusPayload)).code).toBe(0xff01);
    expect(log.host).toEqual(['ENQ', 'frame ff01', 'ENQ', 'frame ff01', 'ENQ', 'ACK']);
    expect(transport.stats.lateReplies).toBe(1);
    expect(transport.stats.frameResends).toBe(1);
    expect(device.link.stats.commands).toBe(1);
  });
});

describe('ShtrihTransport: an answer the device still holds is taken off the line before our command', () => {
  /**
   * Runs 0xFF01 and loses the host's ACK of its answer, so the device keeps that answer for the next ENQ.
   * enqMs 100: an answer cut short must be seen as cut (interByteMs 15) well before the ENQ wait ends.
   */
  async function leaveAnswerOnDevice(): Promise<ReturnType<typeof rig> & { log: ReturnType<typeof lineLog>; toHost: ReturnType<typeof lossyLine> }> {
    const log = lineLog();
    const toHost = lossyLine();
    let sentFrame = false;
    let ackLost: () => void = () => undefined;
    const lost = new Promise<void>((resolve) => (ackLost = resolve));
    let loseHostAck = true;
    const r = rig(
      {},
      toHost.hook,
      (direction, bytes) => {
        if (direction === '>' && bytes[0] === 0x02) sentFrame = true;
        log.trace(direction, bytes);
      },
      { ...FAST, enqMs: 100 },
      {
        toDevice: (bytes, receive) => {
          if (loseHostAck && sentFrame && isAck(bytes)) {
            loseHostAck = false;
            ackLost();
          } else receive(bytes);
        },
      },
    );
    expect(splitCommand(await r.transport.exchange(fnStatusPayload)).code).toBe(0xff01);
    await lost;
    log.reset();
    return { ...r, log, toHost };
  }

  const taken = ['ENQ', 'ACK', 'ENQ', 'frame 10', 'ACK'];
  const nakedThenTaken = ['ENQ', 'NAK', 'ENQ', 'ACK', 'ENQ', 'frame 10', 'ACK'];
  // When the device's ACK before the answer is lost, one reply stays owed, so the NAK to the ENQ after the old
  // answer counts as late: it is written off after settleMs and the device asked once more (PROTOCOL.md
  // §Link, owedReplies). Hence the second ENQ before our frame in those cases.
  for (const { name, ackLost, faults, host, naks, late } of [
    { name: 'an intact one is ACKed and dropped; the next ENQ finds the device ready', ackLost: false, faults: {}, host: taken, naks: 0, late: 0 },
    { name: 'a damaged one (bad LRC) is NAKed and asked for again, then ACKed', ackLost: false, faults: { badChecksumNext: 1 }, host: nakedThenTaken, naks: 1, late: 0 },
    { name: 'one that lost its tail (inter-byte timeout) is NAKed and asked for again, then ACKed', ackLost: false, faults: { dropNextAnswerBytes: 3 }, host: nakedThenTaken, naks: 1, late: 0 },
    { name: 'the ACK before it is lost, so the answer itself replies to our ENQ: ACKed at once', ackLost: true, faults: {}, host: ['ENQ', 'ACK', 'ENQ', 'ENQ', 'frame 10', 'ACK'], naks: 0, late: 1 },
    { name: 'the ACK before it is lost and the answer is damaged: NAKed and asked for again', ackLost: true, faults: { badChecksumNext: 1 }, host: ['ENQ', 'NAK', 'ENQ', 'ACK', 'ENQ', 'ENQ', 'frame 10', 'ACK'], naks: 1, late: 1 },
    { name: 'the ACK before it is lost and the answer lost its tail: NAKed and asked for again', ackLost: true, faults: { dropNextAnswerBytes: 3 }, host: ['ENQ', 'NAK', 'ENQ', 'ACK', 'ENQ', 'ENQ', 'frame 10', 'ACK'], naks: 1, late: 1 },
  ]) {
    it(name, async () => {
      const r = await leaveAnswerOnDevice();
      if (ackLost) r.toHost.dropNext(isAck);
      r.device.link.setFaults(faults);
      expect(splitCommand(await r.transport.exchange(statusPayload)).code).toBe(0x10);
      expect(r.toHost.dropped).toBe(ackLost ? 1 : 0);
      expect(r.log.host).toEqual(host);
      expect(r.transport.stats.naksSent).toBe(naks);
      expect(r.transport.stats.lateReplies).toBe(late);
      expect(r.transport.stats.staleAnswers).toBe(1);
      expect(r.device.link.stats.commands).toBe(2);
    });
  }
});

describe('ShtrihTransport: the device still works on a command the host gave up on', () => {
  // The host gave up on 0xFF01 (answerMs 100, maxBusyMs 100) while the device works on it for `busyMs`.
  // enqMs 100: a device that is there is not taken for a silent one when this machine is loaded.
  const GIVE_UP = { ...FAST, enqMs: 100, answerMs: 100, maxBusyMs: 100 };
  async function busyWithEarlierCommand(busyMs: number, side: Parameters<typeof rig>[4] = {}, toHost?: ToHost): Promise<ReturnType<typeof rig> & { log: ReturnType<typeof lineLog> }> {
    const log = lineLog();
    const r = rig({}, toHost, log.trace, GIVE_UP, { processingScale: 1, processing: { fnQuery: busyMs }, ...side });
    await expectAppError(r.transport.exchange(fnStatusPayload), 'FISCAL_ANSWER_LOST', 'unknown-outcome');
    log.reset();
    return { ...r, log };
  }

  it('its answer, when it comes, is taken off the line once (ACK, no NAK) and our command runs after it', async () => {
    const r = await busyWithEarlierCommand(500);
    const answer = await r.transport.exchange(statusPayload);
    expect(splitCommand(answer).code).toBe(0x10);
    // ENQ → ACK ("still working") until the old answer arrives; it is ACKed; the next ENQ gets NAK.
    expect(r.log.host.slice(-5)).toEqual(['ENQ', 'ACK', 'ENQ', 'frame 10', 'ACK']);
    expect(r.log.host.filter((w) => w === 'ENQ').length).toBeGreaterThan(2);
    // Once, or twice when the answer came just as a wait ended and the next ENQ made the device send it again.
    expect(r.transport.stats.staleAnswers).toBeGreaterThanOrEqual(1);
    expect(r.transport.stats.naksSent).toBe(0);
    expect(r.device.link.stats.commands).toBe(2);
  });

  it('a late second ACK while the old answer is awaited is not damage: no NAK', async () => {
    // The device's reply to our first ENQ comes late (after enqMs), so we ENQ again; its two ACKs then
    // arrive together, and the second one comes while we wait for the old answer.
    let lateOnce = false;
    let freeAt = 0;
    const toHost: ToHost = (bytes, deliver) => {
      const at = Math.max(Date.now() + (lateOnce ? 1.5 * GIVE_UP.enqMs : 0), freeAt);
      lateOnce = false;
      freeAt = at;
      setTimeout(() => deliver(bytes), at - Date.now());
    };
    const r = await busyWithEarlierCommand(500, {}, toHost);
    lateOnce = true;
    expect(splitCommand(await r.transport.exchange(statusPayload)).code).toBe(0x10);
    expect(r.log.host.slice(0, 2)).toEqual(['ENQ', 'ENQ']);
    expect(r.transport.stats.naksSent).toBe(0);
    expect(r.transport.stats.staleAnswers).toBeGreaterThanOrEqual(1);
    expect(r.device.link.stats.commands).toBe(2);
  });

  it('busy for good: given up after maxEnqAttempts × 4 ENQs, each waiting min(answerMs, 1 s) plus a long answer’s wire time — not delivered', async () => {
    // Nothing but ENQs while the device only says "busy": no ACK or NAK for an answer that never came.
    // 19200 baud: 258 bytes (the longest frame and its ACK) take 134 ms, so each ENQ waits 100 + 134 ms.
    const baudRate = 19_200;
    const round = GIVE_UP.answerMs + (258 * 10_000) / baudRate;
    const r = await busyWithEarlierCommand(60_000, { baudRate, host: { maxEnqAttempts: 1 } });
    const t0 = Date.now();
    const e = await r.transport.exchange(statusPayload).catch((err: unknown) => err);
    const took = Date.now() - t0;
    expect(isAppError(e) && { code: e.code, retry: e.retry, detail: e.detail }).toEqual({
      code: 'FISCAL_NO_ANSWER',
      retry: 'transient',
      detail: 'command 0x10: the device never became ready; the command was not delivered',
    });
    expect(r.log.host).toEqual(['ENQ', 'ENQ', 'ENQ', 'ENQ']);
    expect(took).toBeGreaterThanOrEqual(4 * round - 10);
    expect(took).toBeLessThan(4 * round + 1_200);
    expect(r.device.link.stats.commands).toBe(1);
  }, 6_000);
});
