import { afterEach, describe, expect, it } from 'vitest';
import { startRegosEmulator, type RegosEmulator } from '../../emulators/regos/server';
import { SEED_003_CREDIT_REQUEST } from './seedExamples';

/**
 * Every rule seed 003 states for Receipt.Credit, sent to the REGOS emulator as raw JSON-RPC built from
 * the seed's own example (so no client-side check stands in front), with VCR's code check on (strict,
 * the seed's VCR out of the box) and off (permissive: "Проверка может быть отключена в настройках VCR").
 */
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

type Params = typeof SEED_003_CREDIT_REQUEST.params;
const example = SEED_003_CREDIT_REQUEST.params;
const position = example.positions[0] ?? (() => { throw new Error('seed 003 example has a position'); })();

async function emulator(opts: Parameters<typeof startRegosEmulator>[0] = {}): Promise<RegosEmulator> {
  const emu = await startRegosEmulator({ seed: [], ...opts });
  closers.push(() => emu.close());
  return emu;
}

async function credit(emu: RegosEmulator, params: Partial<Params> | Record<string, unknown>): Promise<{ ok: boolean; result: { error?: number; description?: string; id?: string } }> {
  const res = await fetch(emu.url, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...SEED_003_CREDIT_REQUEST, params: { ...example, ...params } }),
  });
  return await res.json() as { ok: boolean; result: { error?: number; description?: string; id?: string } };
}

describe('REGOS emulator: seed 003 Receipt.Credit rules', () => {
  it('the example is taken, answered with an id only, and kept as a non-fiscal credit receipt: "Кредитный чек не регистрируется в фискальном модуле"', async () => {
    const emu = await emulator();
    const r = await credit(emu, {});
    expect(r).toMatchObject({ ok: true, result: { id: expect.any(String) as string } });
    expect(emu.state.receipts).toMatchObject([{ kind: 'credit', code: '1-0000782', Amount: 900000, ReceiptNo: null, FiscalSign: null, QRCodeURL: null }]);
  });

  it('not fiscal, so a closed shift does not stop it', async () => {
    const emu = await emulator({ shiftClosed: true });
    expect((await credit(emu, {})).ok).toBe(true);
  });

  it('"Нельзя добавить более двух обьектов с типом оплаты - терминал type=2"', async () => {
    const emu = await emulator();
    const terminal = (n: number) => ({ type: 2, value: 300000, card_type: 2, RRN: `84720467847${n}` });
    const r = await credit(emu, { payments: [terminal(1), terminal(2), terminal(3)] });
    expect(r).toMatchObject({ ok: false, result: { error: 701003, description: expect.stringContaining('более двух') as string } });
    expect((await credit(emu, { code: 'two', payments: [terminal(1), { ...terminal(2), value: 600000 }] })).ok).toBe(true);
    expect(emu.state.receipts.map((x) => x.code)).toEqual(['two']);
  });

  it('"По кредитному чеку недоступна оплата через платёжные системы - возникнет ошибка VCR"', async () => {
    const emu = await emulator();
    const r = await credit(emu, { payments: [{ type: 1, value: 500000 }, { type: 3, value: 400000, payment_id: 'click-1' }] });
    expect(r).toMatchObject({ ok: false, result: { description: 'По кредитному чеку недоступна оплата через платёжные системы' } });
    expect(emu.state.receipts).toHaveLength(0);
  });

  it('"каждый параметр label должен быть уникальным в рамках одного запроса"; the example\'s empty labels are no marking code', async () => {
    const emu = await emulator();
    const half = { ...position, amount: 450000 };
    const repeated = await credit(emu, { positions: [{ ...half, label: '010478' }, { ...half, label: '010478' }] });
    expect(repeated).toMatchObject({ ok: false, result: { error: 701003 } });
    expect((await credit(emu, { code: 'empty-labels', positions: [half, half] })).ok).toBe(true);
  });

  it('code unique while VCR\'s check is on: "если чек с таким же кодом ранее был занесен в базу VCR, то чек отклоняется"', async () => {
    const emu = await emulator();
    expect((await credit(emu, {})).ok).toBe(true);
    expect(await credit(emu, {})).toMatchObject({ ok: false, result: { error: 701003 } });
    expect(emu.state.receipts).toHaveLength(1);
  });

  it('with the check off "разрешается добавлять чеки с повторяющимися кодами": the same code registers twice', async () => {
    const emu = await emulator({ uniqueCodeCheck: false });
    expect((await credit(emu, {})).ok).toBe(true);
    expect((await credit(emu, {})).ok).toBe(true);
    expect(emu.state.receipts.filter((x) => x.code === '1-0000782')).toHaveLength(2);
  });

  it('no code or an empty one: "проверка не осуществляется и чек будет добавлен с автоматически сгенерированным кодом"', async () => {
    const emu = await emulator();
    expect((await credit(emu, { code: '' })).ok).toBe(true);
    expect((await credit(emu, { code: null })).ok).toBe(true);
    const [a, b] = emu.state.receipts;
    expect(a?.code).not.toBe('');
    expect(a?.code).not.toBe(b?.code);
  });

  it('payments must equal positions within 50 sum (BACKENDS.md, error 701003)', async () => {
    const emu = await emulator();
    expect(await credit(emu, { payments: [{ type: 1, value: 894000 }] })).toMatchObject({ ok: false, result: { error: 701003 } });
    expect((await credit(emu, { code: 'within', payments: [{ type: 1, value: 895000 }] })).ok).toBe(true);
  });
});
