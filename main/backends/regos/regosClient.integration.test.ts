import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { uzPosition } from '../../../emulators/regos/seed';
import { startRegosEmulator, type RegosEmulator, type RegosEmulatorOptions } from '../../../emulators/regos/server';
import { BackendError } from '../backendError';
import type { FetchLike } from '../httpClient';
import { RegosDuplicateCodeError } from './regosErrors';
import { RegosClient, type RegosClientOptions } from './regosClient';
import type { RegosRefundParams } from './schemas';
import { rejectionOf } from '../../../test/support/caughtAppError';

let emu: RegosEmulator;

async function start(opts: RegosEmulatorOptions = {}, client: Partial<RegosClientOptions> = {}): Promise<RegosClient> {
  emu = await startRegosEmulator(opts);
  return clientFor(client);
}

function clientFor(client: Partial<RegosClientOptions> = {}): RegosClient {
  return new RegosClient({ baseUrl: emu.url, login: emu.login, password: emu.password, timeoutMs: 2000, ...client });
}

afterEach(async () => {
  await emu.close();
});

const caught = (p: Promise<unknown>): Promise<BackendError> => rejectionOf(p, BackendError);

function saleQr(code: string): string {
  const sale = emu.state.receipts.find((r) => r.code === code);
  if (!sale?.QRCodeURL) throw new Error(`no sale ${code}`);
  return sale.QRCodeURL;
}

/** Returning one Coca-Cola of demo sale 0001 (2 × 9 000 sum + bread, cash). */
function cokeRefund(code: string, qr: string): RegosRefundParams {
  return {
    code, cashier_name: 'Каримова Дилноза', pos_id: '1',
    positions: [uzPosition({ name: 'Coca-Cola 1 л', priceTiyin: 900000, quantityMilli: 1000, code: '64963', icps: '02202002001010036' })],
    payments: [{ type: 1, value: 900000 }],
    refund_info: { QRCodeURL: qr },
  };
}

describe('REGOS VCR receipts', () => {
  it('registers a refund of a sale found by its QR code, in tiyin and thousandths', async () => {
    const client = await start();
    const r = await client.refund(cokeRefund('ret-1', saleQr('demo-sale-0001')));
    expect(r).toMatchObject({ Amount: 900000, TerminalID: 'VG298343428256' });
    expect(r.id).toMatch(/[0-9a-f-]{36}/);
    expect(r.DateTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(emu.state.receipts.at(-1)).toMatchObject({ kind: 'refund', code: 'ret-1', Amount: 900000 });
  });

  it('sends JSON-RPC 2.0 with Base64("login:password") auth, never the password itself', async () => {
    const bodies: string[] = [];
    const spy: FetchLike = async (url, init) => {
      bodies.push(String(init.body));
      return fetch(url, init);
    };
    const client = await start({}, {});
    await clientFor({ fetch: spy }).shiftInfo();
    expect(JSON.parse(bodies[0] ?? '{}')).toMatchObject({ jsonrpc: '2.0', method: 'ZReport.GetInfo', id: 1, auth: Buffer.from('kassa:kas123456').toString('base64') });
    expect(bodies[0]).not.toContain('kas123456');
    expect(await client.shiftInfo()).toMatchObject({ IsOpen: true });
  });

  it('ignores the other refund_info fields when QRCodeURL is given', async () => {
    const client = await start();
    const params = cokeRefund('ret-qr', saleQr('demo-sale-0001'));
    params.refund_info = { ...params.refund_info, FiscalSign: 'garbage', ReceiptNo: '999999', TerminalID: 'nope', DateTime: '1999-01-01 00:00:00' };
    await expect(client.refund(params)).resolves.toMatchObject({ Amount: 900000 });
  });

  it('a refund past what the sale holds is registered: the seeds do not say VCR checks it (the saga must)', async () => {
    const client = await start();
    await client.fullRefund(saleQr('demo-sale-0002'), 'full-2');
    const again = await client.refund({
      ...cokeRefund('ret-again', saleQr('demo-sale-0002')),
      positions: [uzPosition({ name: 'Сахар 1 кг', priceTiyin: 1400000, quantityMilli: 1000, code: '20044', icps: '01701001001000000' })],
      payments: [{ type: 1, value: 1400000 }],
    });
    expect(again.Amount).toBe(1400000);
    expect(emu.state.receipts.filter((r) => r.kind === 'refund').map((r) => r.code)).toEqual(['full-2', 'ret-again']);
  });

  it('a refund without refund_info (seed 002: optional) and a non-numeric ReceiptNo both pass through as strings', async () => {
    const client = await start();
    const { refund_info: _omitted, ...params } = cokeRefund('ret-noinfo', saleQr('demo-sale-0001'));
    const r = await client.refund(params);
    expect(emu.state.receipts.at(-1)?.params).not.toHaveProperty('refund_info');
    emu.state.nextReceiptNo = 0;
    const stub = clientFor({
      fetch: async (_url, init) => new Response(JSON.stringify({
        id: JSON.parse(String(init.body)).id, ok: true, jsonrpc: '2.0',
        result: { Id: r.id, Amount: 900000, QRCodeURL: 'q', TerminalID: 'VG298343428256', ReceiptNo: 'A-0187', DateTime: '2022-07-18 14:35:04', FiscalSign: '853234561062' },
      }), { status: 200 }),
    });
    expect((await stub.refund(cokeRefund('ret-alpha', 'q'))).ReceiptNo).toBe('A-0187');
  });

  it('a credit receipt takes cash and terminal, and is not fiscal', async () => {
    const client = await start();
    const r = await client.credit({
      code: 'credit-1',
      positions: [uzPosition({ name: 'Холодильник', priceTiyin: 900000, quantityMilli: 1000, code: '1', icps: '08418001001000000' })],
      payments: [{ type: 1, value: 500000, payment_id: '4411-563-4236' }, { type: 2, value: 400000, card_type: 2, RRN: '847204678473' }],
    });
    expect(r.id).toMatch(/[0-9a-f-]{36}/);
    expect(emu.state.receipts.at(-1)).toMatchObject({ kind: 'credit', FiscalSign: null });
  });

  it('refuses before sending: payment systems on credit, 3 terminal payments, repeated labels, 151 positions', async () => {
    const client = await start();
    const base = cokeRefund('pre', saleQr('demo-sale-0001'));
    const cases: Promise<unknown>[] = [
      client.credit({ ...base, payments: [{ type: 4, value: 900000 }] }),
      client.refund({ ...base, payments: [{ type: 2, value: 300000 }, { type: 2, value: 300000 }, { type: 2, value: 300000 }] }),
      client.refund({ ...base, positions: [{ ...base.positions[0]!, label: 'L1', amount: 450000 }, { ...base.positions[0]!, label: 'L1', amount: 450000 }] }),
      client.refund({ ...base, positions: Array.from({ length: 151 }, () => ({ ...base.positions[0]!, amount: 100 })), payments: [{ type: 1, value: 15100 }] }),
    ];
    for (const p of cases) expect(await caught(p)).toMatchObject({ code: 'regos.invalid_receipt', failure: 'invalid_request' });
    expect(emu.requests).toHaveLength(0);
  });

  it('sends one request at a time', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const counting: FetchLike = async (url, init) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await fetch(url, init);
      } finally {
        inFlight--;
      }
    };
    await start();
    emu.faults.setLatency(20);
    const client = clientFor({ fetch: counting });
    const results = await Promise.all(Array.from({ length: 5 }, () => client.shiftInfo()));
    expect(results).toHaveLength(5);
    expect(maxInFlight).toBe(1);
  });

  it('opens and closes the shift; a refund in a closed shift is 704010 with advice', async () => {
    const client = await start({ shiftClosed: true });
    const e = await caught(client.refund(cokeRefund('ret-closed', saleQr('demo-sale-0001'))));
    expect(e).toMatchObject({ code: 'regos.704010', retry: 'permanent' });
    expect(e.message).toContain('Откройте смену');
    expect(await client.openShift()).toMatchObject({ IsOpen: true, Number: 2 });
    await expect(client.refund(cokeRefund('ret-closed', saleQr('demo-sale-0001')))).resolves.toMatchObject({ Amount: 900000 });
    expect(await client.closeShift()).toMatchObject({ IsOpen: false });
  });

  it('maps VCR device errors: no printer is transient, no licence server is permanent', async () => {
    const client = await start();
    emu.failFiscalWith(705002);
    expect(await caught(client.refund(cokeRefund('dev-1', saleQr('demo-sale-0001'))))).toMatchObject({ code: 'regos.705002', retry: 'transient' });
    emu.failFiscalWith(704025);
    const lic = await caught(client.refund(cokeRefund('dev-2', saleQr('demo-sale-0001'))));
    expect(lic).toMatchObject({ code: 'regos.704025', retry: 'permanent' });
    expect(lic.message).toContain('24 часов');
  });

  it('a wrong password is 705000 and neither the password nor the auth string leaks', async () => {
    await start();
    const client = clientFor({ password: 'secret-pass-987' });
    const e = await caught(client.shiftInfo());
    expect(e).toMatchObject({ code: 'regos.705000' });
    const auth = Buffer.from(`${emu.login}:secret-pass-987`).toString('base64');
    for (const text of [e.message, e.detail ?? '', e.stack ?? '']) {
      expect(text).not.toContain('secret-pass-987');
      expect(text).not.toContain(auth);
    }
  });
});

describe('REGOS idempotency by code', () => {
  it('after a lost response, GetInfo finds the receipt; resending the same code is reported as a duplicate', async () => {
    const client = await start();
    const params = cokeRefund('ret-lost', saleQr('demo-sale-0001'));
    emu.faults.loseResponseNext(1, { rpcMethod: 'Receipt.Refund' });
    const lost = await caught(client.refund(params));
    expect(lost).toMatchObject({ retry: 'unknown-outcome', failure: 'dropped' });
    const info = await client.getInfo('ret-lost');
    expect(info).toMatchObject({ code: 'ret-lost', Amount: 900000 });
    const dup = await caught(client.refund(params));
    expect(dup).toBeInstanceOf(RegosDuplicateCodeError);
    expect(dup).toMatchObject({ code: 'regos.duplicate_code', retry: 'permanent' });
    expect(dup.message).toContain('вероятно, уже зарегистрирован');
    expect((dup as RegosDuplicateCodeError).existing.ReceiptNo).toBe(info?.ReceiptNo);
    expect(emu.state.receipts.filter((r) => r.code === 'ret-lost')).toHaveLength(1);
  });

  it('GetInfo answers null for an unknown code', async () => {
    const client = await start();
    expect(await client.getInfo('never-sent')).toBeNull();
  });

  it('with the uniqueness check off, VCR accepts the same code twice (the setting of seed 002)', async () => {
    const client = await start({ uniqueCodeCheck: false });
    await client.credit({ code: 'c-1', positions: [uzPosition({ name: 'x', priceTiyin: 100, quantityMilli: 1000, code: '1', icps: '1' })], payments: [{ type: 1, value: 100 }] });
    await client.credit({ code: 'c-1', positions: [uzPosition({ name: 'x', priceTiyin: 100, quantityMilli: 1000, code: '1', icps: '1' })], payments: [{ type: 1, value: 100 }] });
    expect(emu.state.receipts.filter((r) => r.code === 'c-1')).toHaveLength(2);
  });
  it('a rejected resend whose GetInfo fails is unknown-outcome, never a plain rejection (the code may be taken)', async () => {
    const client = await start();
    const params = cokeRefund('ret-unconfirmed', saleQr('demo-sale-0001'));
    await client.refund(params);
    emu.faults.failNext(3, { match: { rpcMethod: 'Receipt.GetInfo' } });
    const e = await caught(client.refund(params));
    expect(e).toMatchObject({ code: 'regos.unconfirmed_rejection', retry: 'unknown-outcome' });
    expect(e.message).toContain('не пробивайте повторно');
    expect(emu.state.receipts.filter((r) => r.code === 'ret-unconfirmed')).toHaveLength(1);
  });
});

describe.each([true, false])('REGOS duplicate-code check (seed 002 setting) = %s', (uniqueCodeCheck) => {
  it('a lost Receipt.Refund answer: GetInfo finds the receipt, so the caller never needs to resend', async () => {
    const client = await start({ uniqueCodeCheck });
    const params = cokeRefund('ret-lost-switch', saleQr('demo-sale-0001'));
    emu.faults.loseResponseNext(1, { rpcMethod: 'Receipt.Refund' });
    expect((await caught(client.refund(params))).retry).toBe('unknown-outcome');
    expect(await client.getInfo('ret-lost-switch')).toMatchObject({ code: 'ret-lost-switch', Amount: 900000 });
    expect(emu.state.receipts.filter((r) => r.code === 'ret-lost-switch')).toHaveLength(1);
  });

  it('a blind resend: refused as a duplicate with the check on, a second receipt with it off (why GetInfo comes first)', async () => {
    const client = await start({ uniqueCodeCheck });
    const params = cokeRefund('ret-twice', saleQr('demo-sale-0001'));
    await client.refund(params);
    const again = client.refund(params);
    if (uniqueCodeCheck) expect(await caught(again)).toBeInstanceOf(RegosDuplicateCodeError);
    else await again;
    expect(emu.state.receipts.filter((r) => r.code === 'ret-twice')).toHaveLength(uniqueCodeCheck ? 1 : 2);
  });
});

describe('REGOS faults', () => {
  it('500 is transient, a dropped refund is unknown-outcome, offline is unreachable', async () => {
    const client = await start();
    emu.faults.failNext(1);
    expect(await caught(client.shiftInfo())).toMatchObject({ retry: 'transient', httpStatus: 500 });
    emu.faults.dropNext(1, { rpcMethod: 'Receipt.Refund' });
    expect(await caught(client.refund(cokeRefund('drop-1', saleQr('demo-sale-0001'))))).toMatchObject({ retry: 'unknown-outcome' });
    expect(await client.getInfo('drop-1')).toBeNull();
    await emu.faults.setOffline(true);
    expect(await caught(client.refund(cokeRefund('off-1', saleQr('demo-sale-0001'))))).toMatchObject({ retry: 'transient', failure: 'unreachable' });
    await expect(client.probe(new AbortController().signal, 200)).rejects.toBeInstanceOf(BackendError);
    await emu.faults.setOffline(false);
    await client.probe(new AbortController().signal, 500);
  });

  it('malformed JSON: unknown outcome for a refund (it was registered), permanent for a read', async () => {
    const client = await start();
    emu.faults.malformedNext(1);
    const refund = await caught(client.refund(cokeRefund('mal-1', saleQr('demo-sale-0001'))));
    expect(refund).toMatchObject({ code: 'regos.bad_response', retry: 'unknown-outcome' });
    expect(refund.detail).toContain('not JSON');
    expect(await client.getInfo('mal-1')).not.toBeNull();
    emu.faults.malformedNext(1);
    expect(await caught(client.shiftInfo())).toMatchObject({ code: 'regos.bad_response', retry: 'permanent' });
  });

  it('a timeout on a refund is unknown-outcome; 429 carries Retry-After', async () => {
    const client = await start({}, { timeoutMs: 150 });
    emu.faults.setLatency(500);
    expect(await caught(client.refund(cokeRefund('slow-1', saleQr('demo-sale-0001'))))).toMatchObject({ retry: 'unknown-outcome', failure: 'timeout' });
    emu.faults.setLatency(0);
    emu.faults.rateLimitNext(1, 3);
    expect(await caught(client.shiftInfo())).toMatchObject({ retry: 'transient', retryAfterMs: 3000 });
  });

  it('an answer with another id, or ok=false without an error object, is a bad response', async () => {
    await start();
    const wrongId: FetchLike = async () => new Response(JSON.stringify({ id: 999, ok: true, result: {}, jsonrpc: '2.0' }));
    expect(await caught(clientFor({ fetch: wrongId }).shiftInfo())).toMatchObject({ code: 'regos.bad_response' });
    const noError: FetchLike = async () => new Response(JSON.stringify({ id: 1, ok: false, result: 'boom', jsonrpc: '2.0' }));
    expect(await caught(clientFor({ fetch: noError }).shiftInfo())).toMatchObject({ code: 'regos.bad_response' });
    const badResult: FetchLike = async () => new Response(JSON.stringify({ id: 1, ok: true, result: { Id: 'x', Amount: '9000' }, jsonrpc: '2.0' }));
    const e = await caught(clientFor({ fetch: badResult }).refund(cokeRefund('bad-1', 'https://ofd.soliq.uz/check?t=1')));
    expect(e).toMatchObject({ code: 'regos.bad_response', retry: 'unknown-outcome' });
    expect(e.detail).toContain('Amount');
  });
});

describe('REGOS emulator persistence', () => {
  it('keeps receipts and the shift across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regos-emu-'));
    try {
      const statePath = join(dir, 'state.json');
      let client = await start({ statePath });
      await client.refund(cokeRefund('persist-1', saleQr('demo-sale-0001')));
      await emu.close();
      client = await start({ statePath });
      expect(await client.getInfo('persist-1')).toMatchObject({ Amount: 900000 });
      expect(emu.state.receipts.filter((r) => r.kind === 'sale')).toHaveLength(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
