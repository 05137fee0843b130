import { afterEach, describe, expect, it } from 'vitest';
import type { FiscalPort } from '../port';
import { createPipe } from '../../../emulators/memoryPipe';
import { FrameParser, encodeFrame } from './frame';
import { AtolTransport, Task, TaskStatus } from './transport';

/**
 * The transport against a scripted peer: each test says how the "device" answers each packet, to reach
 * the cases a well-behaved emulator rarely produces (late replies, "send again", a forgotten task).
 */
type Script = (packet: { id: number; data: Buffer }, send: (id: number, data: number[]) => void) => void;

const transports: AtolTransport[] = [];
afterEach(async () => {
  for (const t of transports.splice(0)) await t.close();
});

function wire(script: Script): { transport: AtolTransport; seen: Array<{ id: number; data: Buffer }> } {
  const [host, device]: [FiscalPort, FiscalPort] = createPipe();
  const parser = new FrameParser();
  const seen: Array<{ id: number; data: Buffer }> = [];
  const send = (id: number, data: number[]): void => void device.write(encodeFrame(id, Buffer.from(data)));
  device.onData((chunk) => {
    for (const e of parser.push(chunk)) {
      if (e.kind !== 'frame') continue;
      seen.push(e);
      script(e, send);
    }
  });
  const transport = new AtolTransport(host, { timeouts: { packetMs: 80, pollMs: 1 }, maxPacketSends: 3 });
  transports.push(transport);
  return { transport, seen };
}

const STATUS = Buffer.from([0, 0, 0x3f]);
const PRINT = Buffer.from([0, 0, 0x4c, 0x41]);
const adds = (seen: Array<{ data: Buffer }>): Buffer[] => seen.filter((p) => p.data[0] === Task.add).map((p) => p.data);

describe('ATOL task transport', () => {
  it('drops a late reply to an earlier packet and takes the one with its own id', async () => {
    const { transport } = wire(({ id, data }, send) => {
      if (data[0] === Task.add) {
        send((id + 0xdf) % 0xe0, [TaskStatus.result, 0x55, 9, 0]);
        send(id, [TaskStatus.result, 0x44, 1, 2]);
      }
    });
    expect(await transport.exchange(STATUS)).toEqual(Buffer.from([0x44, 1, 2]));
    expect(transport.stats.lateReplies).toBe(1);
  });

  it('resends the same packet (same task id) when the device asks for it with an empty packet', async () => {
    let asked = false;
    const { transport, seen } = wire(({ id, data }, send) => {
      if (data[0] !== Task.add) return;
      if (!asked) {
        asked = true;
        send(id, []);
        return;
      }
      send(id, [TaskStatus.result, 0x55, 0, 0]);
    });
    expect(await transport.exchange(PRINT)).toEqual(Buffer.from([0x55, 0, 0]));
    const sent = adds(seen);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toEqual(sent[1]);
  });

  it('polls a running task with REQ and acknowledges the result', async () => {
    let polls = 0;
    const { transport, seen } = wire(({ id, data }, send) => {
      if (data[0] === Task.add) send(id, [TaskStatus.inProgress]);
      if (data[0] === Task.req) send(id, ++polls < 3 ? [TaskStatus.pending] : [TaskStatus.error, 0x55, 103, 0]);
    });
    expect(await transport.exchange(PRINT)).toEqual(Buffer.from([0x55, 103, 0]));
    const tid = adds(seen)[0]?.[2];
    await expect.poll(() => seen.some((p) => p.data[0] === Task.ack && p.data[1] === tid)).toBe(true);
  });

  it('never sends a print command again when the device forgot the task; a request is sent again', async () => {
    const { transport, seen } = wire(({ id, data }, send) => {
      if (data[0] === Task.req) send(id, [TaskStatus.notFound]);
      if (data[0] === Task.add && adds(seen).length > 2) send(id, [TaskStatus.result, 0x44]);
    });
    await expect(transport.exchange(PRINT)).rejects.toMatchObject({ code: 'FISCAL_ANSWER_LOST', retry: 'unknown-outcome' });
    expect(adds(seen)).toHaveLength(1);
    await expect(transport.exchange(STATUS, { resendable: true })).resolves.toEqual(Buffer.from([0x44]));
    expect(adds(seen)).toHaveLength(3);
  });

  it('reports a device that answers nothing as not answering, a print as possibly executed', async () => {
    const { transport } = wire(() => undefined);
    await expect(transport.exchange(STATUS, { resendable: true })).rejects.toMatchObject({ code: 'FISCAL_NO_ANSWER' });
    await expect(transport.exchange(PRINT)).rejects.toMatchObject({ code: 'FISCAL_ANSWER_LOST' });
  });
});
