import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame, splitCommand } from './frameCodec';
import { isAppError } from '../../appError';
import { DEFAULT_TIMEOUTS } from './transport';
import { closeRigs, expectAppError, FAST, fnStatusPayload, rig, statusPayload } from './transportTestRig';

afterEach(closeRigs);

describe('ShtrihTransport over an in-memory link', () => {
  it('runs a command: ENQ/NAK, frame/ACK, answer/ACK', async () => {
    // The production timeouts: on a loaded machine FAST's 30 ms ENQ wait can lapse and add a round trip
    // this count of a clean exchange must not see.
    const { transport, device } = rig({}, undefined, undefined, DEFAULT_TIMEOUTS);
    const answer = await transport.exchange(statusPayload);
    expect(splitCommand(answer).code).toBe(0x10);
    expect(answer[1]).toBe(0);
    expect(transport.stats.roundTrips).toBe(2);
    expect(device.link.stats.commands).toBe(1);
  });

  it('NAKs answers with a bad LRC and fetches them again without re-running the command', async () => {
    const { transport, device } = rig({ badChecksumNext: 3 });
    const answer = await transport.exchange(fnStatusPayload);
    expect(splitCommand(answer).code).toBe(0xff01);
    expect(transport.stats.naksSent).toBe(3);
    expect(device.link.stats.commands).toBe(1);
  });

  it('resynchronises after an answer lost its tail (inter-byte timeout) and refetches it', async () => {
    const { transport, device } = rig({ dropNextAnswerBytes: 4 });
    const answer = await transport.exchange(fnStatusPayload);
    expect(splitCommand(answer).code).toBe(0xff01);
    expect(device.link.stats.commands).toBe(1);
  });

  it('skips garbage on the line before the answer', async () => {
    const { transport, deviceEnd } = rig();
    await deviceEnd.write(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x02, 0x00]));
    const answer = await transport.exchange(statusPayload);
    expect(splitCommand(answer).code).toBe(0x10);
  });

  it('takes a stale answer off the line (a previous run never ACKed it) before sending', async () => {
    const { transport, device, deviceEnd } = rig();
    // A previous host sent 0x10 and died before ACKing the answer.
    await deviceEnd.write(Buffer.alloc(0));
    device.link.receive(encodeFrame(statusPayload));
    await new Promise((r) => setTimeout(r, 20));
    const answer = await transport.exchange(fnStatusPayload);
    expect(splitCommand(answer).code).toBe(0xff01);
    expect(transport.stats.staleAnswers).toBe(1);
  });

  it('a silent device is a bounded, transient FISCAL_NO_ANSWER (nothing was delivered)', async () => {
    const { transport } = rig({ silent: true });
    const t0 = Date.now();
    await expectAppError(transport.exchange(statusPayload), 'FISCAL_NO_ANSWER', 'transient');
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it('a device that dies after taking the frame yields unknown-outcome, not a retry', async () => {
    const { transport } = rig({ powerLoss: { afterPositions: 1 } });
    const op = Buffer.concat([Buffer.from([0xff, 0x46, 30, 0, 0, 0, 2]), Buffer.alloc(31, 0)]);
    // Shift closed → the model refuses without registering; open one first.
    await transport.exchange(Buffer.from([0xe0, 30, 0, 0, 0]));
    op.writeUIntLE(1_000_000, 7, 6);
    op.writeUIntLE(100, 13, 5);
    op.writeUIntLE(100, 18, 5);
    op.writeUIntLE(0xff_ffff_ffff, 23, 5);
    op[28] = 1;
    op[29] = 1;
    op[30] = 4;
    op[31] = 1;
    const withName = Buffer.concat([op, Buffer.from('X')]);
    await expectAppError(transport.exchange(withName), 'FISCAL_ANSWER_LOST', 'unknown-outcome');
  });

  it('serialises concurrent callers: one command on the wire at a time, each gets its own answer', async () => {
    const { transport, device } = rig();
    const calls = Array.from({ length: 20 }, (_, i) => transport.exchange(i % 2 ? statusPayload : fnStatusPayload));
    const answers = await Promise.all(calls);
    answers.forEach((a, i) => expect(splitCommand(a).code).toBe(i % 2 ? 0x10 : 0xff01));
    expect(device.link.stats.commands).toBe(20);
  });

  it('survives 1.5% random corruption and 0.5% loss both ways: every command answered or reported lost, none run twice', async () => {
    // Replies to lost or damaged bytes are waited for by settleMs and probed by ENQ: with FAST's 30 ms on a
    // machine busy with other test files, a scheduling pause looked like a silent device. Timeouts a few
    // times longer keep the faults (seeded) the only thing under test.
    const NOISY = { ...FAST, enqMs: 120, ackMs: 150, answerMs: 1_000, settleMs: 300 };
    const { transport, device } = rig({ corruptProbability: 0.015, lossProbability: 0.005, seed: 7 }, undefined, undefined, NOISY);
    // Which byte a fault hits depends on how many ENQs the timing took, so now and then an answer is lost
    // for good (the device says it holds none): that exchange must end as FISCAL_ANSWER_LOST — the caller
    // asks the device — never as another command's answer and never by running the command again.
    let lost = 0;
    for (let i = 0; i < 100; i++) {
      const a = await transport.exchange(i % 2 ? statusPayload : fnStatusPayload).catch((e: unknown) => {
        if (isAppError(e) && e.code === 'FISCAL_ANSWER_LOST') return null;
        throw e;
      });
      if (a === null) lost++;
      else expect(splitCommand(a).code).toBe(i % 2 ? 0x10 : 0xff01);
    }
    expect(lost).toBeLessThan(5);
    expect(device.link.stats.commands).toBeLessThanOrEqual(100);
    expect(device.link.stats.commands).toBeGreaterThanOrEqual(100 - lost);
    expect(transport.stats.naksSent + transport.stats.frameResends).toBeGreaterThan(0);
  }, 60_000);

  it('late NAKs to ENQs that timed out are not taken as "command not held": the frame is sent once', async () => {
    // Every device byte reaches the host 4 ENQ timeouts late (in order), as under machine load: the host
    // has sent several ENQs before the first NAK arrives. Read as the reply to the ENQ after our frame, a
    // late NAK said "the device does not hold the command" while it did, and the frame was sent again.
    const lateMs = 4 * FAST.enqMs;
    let framesSent = 0;
    const { transport, device } = rig(
      {},
      (bytes, deliver) => void setTimeout(() => deliver(bytes), lateMs),
      (direction, bytes) => {
        if (direction === '>' && bytes[0] === 0x02) framesSent++;
      },
    );
    const answer = await transport.exchange(fnStatusPayload);
    expect(splitCommand(answer).code).toBe(0xff01);
    expect(framesSent).toBe(1);
    expect(transport.stats.frameResends).toBe(0);
    expect(transport.stats.lateReplies).toBeGreaterThan(0);
    expect(device.link.stats.commands).toBe(1);
    // The next command starts clean: replies still owed from this one do not confuse it.
    const next = await transport.exchange(statusPayload);
    expect(splitCommand(next).code).toBe(0x10);
    expect(framesSent).toBe(2);
    expect(device.link.stats.commands).toBe(2);
  });

  it('fails pending work with FISCAL_PORT_CLOSED when the port closes', async () => {
    const { transport, deviceEnd } = rig({ silent: true });
    const p = transport.exchange(statusPayload);
    await deviceEnd.close();
    await expectAppError(p, 'FISCAL_PORT_CLOSED', 'unknown-outcome');
  });
});

/**
 * The guards that keep one command from running twice, or from being reported as "not delivered" once the
 * device may have run it (issue 11 point 7: survivors of StrykerJS on transport.ts). Each case damages the
 * line at one exact point of the exchange and checks what the caller and the device end up with.
 */
describe('ShtrihTransport: a command the device may have taken is never sent twice', () => {
  const isFrame = (b: Buffer): boolean => b[0] === 0x02;
  /** Counts the command frames the host put on the line. */
  function frameCounter(): { trace: (direction: '>' | '<', bytes: Buffer) => void; readonly sent: number } {
    let sent = 0;
    return {
      trace: (direction, bytes) => {
        if (direction === '>' && isFrame(bytes)) sent++;
      },
      get sent() {
        return sent;
      },
    };
  }

  it('the ACK to our frame is lost while the device works: ENQ finds it holds the command, the frame is not sent again', async () => {
    const frames = frameCounter();
    let dropped = false;
    const { transport, device } = rig(
      {},
      (bytes, deliver) => {
        if (!dropped && frames.sent === 1 && bytes.length === 1 && bytes[0] === 0x06) dropped = true;
        else deliver(bytes);
      },
      frames.trace,
      FAST,
      { processingScale: 1, processing: { fnQuery: 200 } },
    );
    const answer = await transport.exchange(fnStatusPayload);
    expect(dropped).toBe(true);
    expect(splitCommand(answer).code).toBe(0xff01);
    expect(frames.sent).toBe(1);
    expect(transport.stats.frameResends).toBe(0);
    expect(device.link.stats.commands).toBe(1);
  });

  it('a damaged answer in reply to the ENQ that asks whether the device holds our command: asked again, never sent twice', async () => {
    // The ACK to our frame and the answer after it are lost, so the host asks with ENQ; the device's ACK to
    // that ENQ is lost too and the answer it sends comes damaged. Read as "holds nothing", the frame would go
    // out again and the command run twice.
    const frames = frameCounter();
    let acks = 0;
    let answers = 0;
    const { transport, device } = rig(
      {},
      (bytes, deliver) => {
        if (frames.sent === 0) return deliver(bytes);
        if (bytes.length === 1 && bytes[0] === 0x06 && ++acks <= 2) return;
        if (isFrame(bytes) && ++answers === 1) return;
        if (isFrame(bytes) && answers === 2) {
          const damaged = Buffer.from(bytes);
          damaged[3] = (damaged[3] ?? 0) ^ 0xff;
          return deliver(damaged);
        }
        deliver(bytes);
      },
      frames.trace,
    );
    const answer = await transport.exchange(fnStatusPayload);
    expect(splitCommand(answer).code).toBe(0xff01);
    expect(answers).toBeGreaterThanOrEqual(3);
    expect(frames.sent).toBe(1);
    expect(transport.stats.frameResends).toBe(0);
    expect(device.link.stats.commands).toBe(1);
  });

  it('the ACK to our frame is lost but the answer arrives: taken and confirmed, so the next command finds no stale answer', async () => {
    const frames = frameCounter();
    let dropped = false;
    const { transport, device } = rig(
      {},
      (bytes, deliver) => {
        if (!dropped && frames.sent === 1 && bytes.length === 1 && bytes[0] === 0x06) dropped = true;
        else deliver(bytes);
      },
      frames.trace,
    );
    expect(splitCommand(await transport.exchange(fnStatusPayload)).code).toBe(0xff01);
    expect(dropped).toBe(true);
    expect(splitCommand(await transport.exchange(statusPayload)).code).toBe(0x10);
    expect(frames.sent).toBe(2);
    expect(transport.stats.staleAnswers).toBe(0);
    expect(device.link.stats.commands).toBe(2);
  });

  it('a frame lost on the way is sent again once the device says it holds no command (NAK to ENQ); it runs once', async () => {
    const frames = frameCounter();
    let lost = 0;
    const { transport, device } = rig(
      {},
      undefined,
      frames.trace,
      FAST,
      {
        toDevice: (bytes, deliver) => {
          if (isFrame(bytes) && lost === 0) lost++;
          else deliver(bytes);
        },
      },
    );
    const answer = await transport.exchange(fnStatusPayload);
    expect(splitCommand(answer).code).toBe(0xff01);
    expect(lost).toBe(1);
    expect(frames.sent).toBe(2);
    expect(transport.stats.frameResends).toBe(1);
    expect(device.link.stats.commands).toBe(1);
  });

  it('a frame damaged on the way (the device NAKs it) is sent again and runs once', async () => {
    const frames = frameCounter();
    let damaged = 0;
    const { transport, device } = rig(
      {},
      undefined,
      frames.trace,
      FAST,
      {
        toDevice: (bytes, deliver) => {
          if (isFrame(bytes) && damaged === 0) {
            damaged++;
            const bad = Buffer.from(bytes);
            bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0x21;
            deliver(bad);
          } else deliver(bytes);
        },
      },
    );
    const answer = await transport.exchange(fnStatusPayload);
    expect(splitCommand(answer).code).toBe(0xff01);
    expect(damaged).toBe(1);
    expect(frames.sent).toBe(2);
    expect(device.link.stats.commands).toBe(1);
  });

  it('a device that never takes the frame: bounded, reported as possibly executed (the caller asks the device), never endless', async () => {
    const frames = frameCounter();
    const { transport, device } = rig({}, undefined, frames.trace, FAST, { toDevice: (bytes, deliver) => void (isFrame(bytes) || deliver(bytes)) });
    await expectAppError(transport.exchange(fnStatusPayload), 'FISCAL_ANSWER_LOST', 'unknown-outcome');
    expect(frames.sent).toBe(10);
    expect(device.link.stats.commands).toBe(0);
  });

  it('the answer is lost on the way: fetched again with ENQ, the command is not run again', async () => {
    const frames = frameCounter();
    let lost = 0;
    const { transport, device } = rig(
      {},
      (bytes, deliver) => {
        if (isFrame(bytes) && lost === 0) lost++;
        else deliver(bytes);
      },
      frames.trace,
    );
    const answer = await transport.exchange(fnStatusPayload);
    expect(splitCommand(answer).code).toBe(0xff01);
    expect(lost).toBe(1);
    expect(frames.sent).toBe(1);
    expect(device.link.stats.commands).toBe(1);
  });

  it('the device restarts after running the command, its answer lost: reported as possibly executed at once, not sent again', async () => {
    const frames = frameCounter();
    let blips = 0;
    const slow = { ...FAST, maxBusyMs: 20_000 };
    const r = rig(
      {},
      (bytes, deliver) => {
        if (isFrame(bytes) && blips === 0) {
          // A power blip between running the command and sending its answer: the device comes back idle.
          blips++;
          r.device.link.powerOff();
          r.device.link.powerOn();
        } else deliver(bytes);
      },
      frames.trace,
      slow,
    );
    const t0 = Date.now();
    await expectAppError(r.transport.exchange(fnStatusPayload), 'FISCAL_ANSWER_LOST', 'unknown-outcome');
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(blips).toBe(1);
    expect(frames.sent).toBe(1);
    expect(r.device.link.stats.commands).toBe(1);
  });

  it('the cable goes dead after the device took the frame: possibly executed (unknown outcome), not "not delivered"', async () => {
    const frames = frameCounter();
    let cut = false;
    const { transport, device } = rig(
      {},
      (bytes, deliver) => {
        if (frames.sent > 0 && bytes[0] === 0x06 && bytes.length === 1 && !cut) {
          cut = true;
          deliver(bytes);
        } else if (!cut) deliver(bytes);
      },
      frames.trace,
      FAST,
      { processingScale: 1, processing: { fnQuery: 100 } },
    );
    await expectAppError(transport.exchange(fnStatusPayload), 'FISCAL_ANSWER_LOST', 'unknown-outcome');
    expect(frames.sent).toBe(1);
    expect(device.link.stats.commands).toBe(1);
  });

  it('the line from the device goes dead as our frame goes out: possibly executed, the frame is not sent again', async () => {
    const frames = frameCounter();
    const { transport, device } = rig(
      {},
      (bytes, deliver) => {
        if (frames.sent === 0) deliver(bytes);
      },
      frames.trace,
      FAST,
      { processingScale: 1, processing: { fnQuery: 50 } },
    );
    await expectAppError(transport.exchange(fnStatusPayload), 'FISCAL_ANSWER_LOST', 'unknown-outcome');
    expect(frames.sent).toBe(1);
    expect(device.link.stats.commands).toBe(1);
  });

  it('every copy of the answer arrives damaged: bounded, possibly executed, the command never sent again', async () => {
    const frames = frameCounter();
    // The busy limit is far away: the count of damaged copies is what ends the wait.
    const { transport, device } = rig({ badChecksumNext: 1_000 }, undefined, frames.trace, { ...FAST, maxBusyMs: 20_000 });
    const t0 = Date.now();
    await expectAppError(transport.exchange(fnStatusPayload), 'FISCAL_ANSWER_LOST', 'unknown-outcome');
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(frames.sent).toBe(1);
    expect(device.link.stats.commands).toBe(1);
    expect(transport.stats.naksSent).toBeGreaterThan(1);
  });

  it('a device busy longer than answerMs but within maxBusyMs: its answer is waited for and taken', async () => {
    const frames = frameCounter();
    const { transport, device } = rig({}, undefined, frames.trace, FAST, { processingScale: 1, processing: { fnQuery: 900 } });
    const answer = await transport.exchange(fnStatusPayload);
    expect(splitCommand(answer).code).toBe(0xff01);
    expect(frames.sent).toBe(1);
    expect(device.link.stats.commands).toBe(1);
  });

  it('a device busy past maxBusyMs: given up within the limit as possibly executed, the command not sent again', async () => {
    const frames = frameCounter();
    const { transport, device } = rig({}, undefined, frames.trace, { ...FAST, maxBusyMs: 600 }, { processingScale: 1, processing: { fnQuery: 10_000 } });
    const t0 = Date.now();
    await expectAppError(transport.exchange(fnStatusPayload), 'FISCAL_ANSWER_LOST', 'unknown-outcome');
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(frames.sent).toBe(1);
    expect(device.link.stats.commands).toBe(1);
  });

  it('a closed transport refuses at once, before anything is written', async () => {
    const frames = frameCounter();
    const { transport, device } = rig({}, undefined, frames.trace);
    await transport.close();
    await expectAppError(transport.exchange(statusPayload), 'FISCAL_PORT_CLOSED', 'unknown-outcome');
    expect(frames.sent).toBe(0);
    expect(device.link.stats.bytesIn).toBe(0);
  });
});
