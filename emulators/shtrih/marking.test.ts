import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryEmulator, type InMemoryEmulator } from './memory';

/** The emulator's marking commands alone: the order the vendor's descriptions require, the ФН's codes. */
const GS = '\u001d';
const CODE = `0104607053470016215'W9Um${GS}93dGVz`;
const PWD = Buffer.from([30, 0, 0, 0]);
let emu: InMemoryEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

function device() {
  emu = createInMemoryEmulator({ processingScale: 0 });
  const model = emu.device.model;
  const send = (code: number, ...data: Buffer[]) => {
    const head = code > 0xff ? Buffer.from([0xff, code & 0xff]) : Buffer.from([code]);
    const answer = model.execute(Buffer.concat([head, PWD, ...data])).answer;
    return { error: answer[head.length] ?? -1, body: answer.subarray(head.length + 1) };
  };
  const check = (code: string, status = 3) => send(0xff61, Buffer.from([status, 0, code.length, 0]), Buffer.from(code, 'latin1'));
  const decide = (d: number) => send(0xff69, Buffer.from([d]));
  const bind = (code: string) => send(0xff67, Buffer.from([code.length]), Buffer.from(code, 'latin1'));
  const position = () => {
    const op = Buffer.alloc(26);
    op[0] = 2;
    op.writeUIntLE(1_000_000, 1, 6);
    op.writeUIntLE(8990, 7, 5);
    op.writeUIntLE(8990, 12, 5);
    op.writeUIntLE(0xff_ffff_ffff, 17, 5);
    op[22] = 0x02;
    op[24] = 4;
    op[25] = 1;
    return send(0xff46, op, Buffer.from('Milk', 'latin1'));
  };
  send(0xe0);
  return { model, send, check, decide, bind, position };
}

describe('emulated ФН marking commands', () => {
  it('answers a check with the local result and the ОИСМ\'s tag 2106, then gives 2106 back on accept', () => {
    const d = device();
    expect(d.check(CODE)).toEqual({ error: 0, body: Buffer.from([0, 1, 1, 2, 0, 0b1100]) });
    expect(d.decide(1)).toEqual({ error: 0, body: Buffer.from([0b1100]) });
  });

  it('a code the ОИСМ does not know as sold: bit 3 of 2106 clear; a string that is no code: not checked, format reason 3', () => {
    const d = device();
    d.model.marking.oism.refused.add("010460705347001621" + "5'W9Um");
    expect(d.check(CODE).body[5]).toBe(0b0100);
    d.decide(0);
    expect(d.check('4607053470016').body.subarray(0, 2)).toEqual(Buffer.from([0, 3]));
  });

  it('offline: no ОИСМ part in the answer', () => {
    const d = device();
    d.model.marking.oism.reachable = false;
    expect(d.check(CODE)).toEqual({ error: 0, body: Buffer.from([0, 1, 1, 0]) });
  });

  it('refuses what breaks the order: a second check, a position or a decision-less bind while a code waits; FF69 with nothing checked', () => {
    const d = device();
    expect(d.decide(1).error).toBe(0xa1);
    d.check(CODE);
    expect(d.check(CODE).error).toBe(0xa1);
    expect(d.position().error).toBe(0xa1);
    expect(d.decide(1).error).toBe(0);
    expect(d.position().error).toBe(0);
  });

  it('FF67 binds only an accepted code, only to an unbound last position', () => {
    const d = device();
    expect(d.bind(CODE).error).toBe(0xa1);
    d.send(0x8d, Buffer.from([2]));
    d.position();
    expect(d.bind(CODE).error).toBe(0xac);
    d.check(CODE);
    d.decide(1);
    expect(d.bind(CODE).error).toBe(0);
    expect(d.bind(CODE).error).toBe(0xa1);
  });

  it('the accepted table outlives a power cut; the code waiting for a decision does not', () => {
    const d = device();
    d.check(CODE);
    d.decide(1);
    d.check(CODE.replace("5'W9Um", '5Qbag!'));
    d.model.powerLoss();
    expect(d.model.snapshot.markingAccepted).toEqual([CODE]);
    expect(d.decide(1).error).toBe(0xa1);
    expect(d.decide(2).error).toBe(0);
    expect(d.model.snapshot.markingAccepted).toEqual([]);
  });
});
