import { describe, expect, it } from 'vitest';
import { LIFE_PAY_ERRORS, lifePayError, lifePayErrorInfo } from './lifePayErrors';

describe('LIFE PAY error table (seed 001)', () => {
  it('covers every code of the seed with Russian advice', () => {
    const seedCodes = [6010, 6080, 429, 3896, 3975, 6050, 6051, 6052, 6053, 6054, 6055, 6056];
    expect(Object.keys(LIFE_PAY_ERRORS).map(Number).sort()).toEqual([...seedCodes].sort());
    for (const code of seedCodes) expect(lifePayErrorInfo(code).message).toMatch(/[А-Яа-яЁё]/);
  });

  it('says where to find the API key for 6010 and what to check for 3975', () => {
    expect(lifePayErrorInfo(6010).message).toContain('Настройки → Разработчикам');
    expect(lifePayErrorInfo(3975).message).toContain('36 месяцев');
    expect(lifePayErrorInfo(6080).message).toContain('поддержки');
  });

  it('classifies 429 as transient and the rest as permanent', () => {
    expect(lifePayErrorInfo(429).retry).toBe('transient');
    for (const code of [6010, 6080, 3896, 3975, 6050, 6056]) expect(lifePayErrorInfo(code).retry).toBe('permanent');
  });

  it('keeps the server description for catalog save errors and unknown codes', () => {
    const e = lifePayError({ serviceCode: 6056, serverMessage: "Error on save product with id = '2'", detail: 'x', operation: 'op' });
    expect(e.message).toContain("id = '2'");
    expect(e.code).toBe('lifepay.6056');
    const unknown = lifePayError({ serviceCode: 7777, serverMessage: 'что-то новое', detail: 'x', operation: 'op' });
    expect(unknown).toMatchObject({ retry: 'permanent', serviceCode: 7777 });
    expect(unknown.message).toContain('7777');
    expect(unknown.message).toContain('что-то новое');
  });
});
