import { afterEach, describe, expect, it } from 'vitest';
import { ENQ, NAK, encodeFrame, splitCommand } from './frameCodec';
import { DEFAULT_TIMEOUTS } from './transport';
import { closeRigs, fnStatusPayload, lineLog, rig, statusPayload } from './transportTestRig';

/**
 * What waitReady does with what is on the line before our command (issue 11 point 7, StrykerJS survivors in
 * transport.ts lines 1–201; PROTOCOL.md §Link): noise is neither "ready" nor a damaged frame, so it is not
 * NAKed and the device is simply asked again; an ENQ byte from the line is never a reply. Production timeouts:
 * the byte order is driven by the hooks, not by timing. Each test reads the host's bytes on the wire, the
 * counters and how many commands the device ran.
 */
afterEach(closeRigs);

const NOISE = Buffer.from([0x00, 0x13]);
const isOnly = (b: Buffer, byte: number): boolean => b.length === 1 && b[0] === byte;
const isFrame = (b: Buffer): boolean => b[0] === 0x02;

describe('ShtrihTransport.waitReady: what is on the line before our command', () => {
  it('noise in place of the reply to ENQ is not NAKed: the device is asked again and the command runs once', async () => {
    // The device's NAK to our first ENQ is held back and noise comes instead; the NAK reaches the host only
    // when the device gets our next ENQ, so the host must have taken the noise as "nothing yet" by then.
    const log = lineLog();
    let held = false;
    let released = false;
    const r = rig(
      {},
      (bytes, deliver) => {
        if (!held && isOnly(bytes, NAK)) {
          held = true;
          deliver(NOISE);
        } else deliver(bytes);
      },
      log.trace,
      DEFAULT_TIMEOUTS,
      {
        toDevice: (bytes, receive) => {
          if (held && !released && isOnly(bytes, ENQ)) {
            released = true;
            void r.deviceEnd.write(Buffer.from([NAK]));
          }
          receive(bytes);
        },
      },
    );
    expect(splitCommand(await r.transport.exchange(statusPayload)).code).toBe(0x10);
    expect(released).toBe(true);
    // The held NAK answers the first ENQ: a late reply, skipped; the NAK to the second ENQ says "ready".
    expect(log.host).toEqual(['ENQ', 'ENQ', 'frame 10', 'ACK']);
    expect(r.transport.stats.naksSent).toBe(0);
    expect(r.transport.stats.lateReplies).toBe(1);
    expect(r.device.link.stats.commands).toBe(1);
  });

  it('noise in place of the answer the device still holds is not NAKed: the next ENQ fetches that answer, it is ACKed, then our command runs', async () => {
    // A previous host sent 0xFF01 and never ACKed the answer: the device holds it. When our ENQ makes it
    // send that answer again, the line turns it into noise once.
    const log = lineLog();
    let previousAnswered: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => (previousAnswered = resolve));
    let ours = false;
    let spoiled = 0;
    const r = rig(
      {},
      (bytes, deliver) => {
        if (!ours) deliver(bytes);
        else if (isFrame(bytes) && spoiled === 0) {
          spoiled++;
          deliver(NOISE);
        } else deliver(bytes);
      },
      (direction, bytes) => {
        // Seen by the host before our exchange: the old answer is off the queue when waitReady starts.
        if (!ours && direction === '<' && isFrame(bytes)) previousAnswered();
        log.trace(direction, bytes);
      },
      DEFAULT_TIMEOUTS,
    );
    r.device.link.receive(encodeFrame(fnStatusPayload));
    await answered;
    ours = true;
    expect(splitCommand(await r.transport.exchange(statusPayload)).code).toBe(0x10);
    expect(spoiled).toBe(1);
    expect(log.host).toEqual(['ENQ', 'ENQ', 'ACK', 'ENQ', 'frame 10', 'ACK']);
    expect(r.transport.stats.naksSent).toBe(0);
    expect(r.transport.stats.staleAnswers).toBe(1);
    expect(r.device.link.stats.commands).toBe(2);
  });

  it('an ENQ byte from the line just before the device\'s NAK is not a reply: one ENQ, then our frame', async () => {
    const log = lineLog();
    let injected = false;
    const r = rig(
      {},
      (bytes, deliver) => {
        if (!injected && isOnly(bytes, NAK)) {
          injected = true;
          deliver(Buffer.from([ENQ, NAK]));
        } else deliver(bytes);
      },
      log.trace,
      DEFAULT_TIMEOUTS,
    );
    expect(splitCommand(await r.transport.exchange(statusPayload)).code).toBe(0x10);
    expect(injected).toBe(true);
    expect(log.host).toEqual(['ENQ', 'frame 10', 'ACK']);
    expect(r.transport.stats.roundTrips).toBe(2);
    expect(r.transport.stats.naksSent).toBe(0);
    expect(r.transport.stats.lateReplies).toBe(0);
    expect(r.device.link.stats.commands).toBe(1);
  });
});
