import type { Position, ReceiptParams } from './schemas';

export type RegosSaleSeed = ReceiptParams & { code: string };

/**
 * A position in the seeds' units: line amount in tiyin (price × quantity, half up), quantity in
 * thousandths, VAT as seed 002's example writes 12 % ("vat_value": 1200).
 */
export function uzPosition(p: { name: string; priceTiyin: number; quantityMilli: number; code: string; barcode?: string; icps: string; label?: string; unit?: string; group?: string }): Position & { amount: number; vat_value: number } {
  const amount = Math.floor((p.priceTiyin * p.quantityMilli * 2 + 1000) / 2000);
  return {
    amount, name: p.name, quantity: p.quantityMilli, code: p.code, barcode: p.barcode ?? null, icps: p.icps,
    ...(p.label ? { label: p.label } : {}),
    unit_name: p.unit ?? 'шт', group_name: p.group ?? null, type_name: 'Товар', discount: 0,
    vat_value: 1200, package_code: '1218868',
  };
}

/**
 * Uzbek retail sales in UZS (tiyin): drinks and bread paid in cash, groceries by card, and a TV paid
 * partly in cash and partly by card.
 */
export function demoRegosSales(): RegosSaleSeed[] {
  const coke = uzPosition({ name: 'Coca-Cola 1 л', priceTiyin: 900000, quantityMilli: 2000, code: '64963', barcode: '5449000000996', icps: '02202002001010036', group: 'Напитки' });
  const bread = uzPosition({ name: 'Нон (лепёшка)', priceTiyin: 400000, quantityMilli: 1000, code: '10012', icps: '01905001001000000', group: 'Хлеб' });
  const tea = uzPosition({ name: 'Чай зелёный 100 г', priceTiyin: 1850000, quantityMilli: 1000, code: '20031', barcode: '4780000000123', icps: '00902001001000000', group: 'Бакалея' });
  const sugar = uzPosition({ name: 'Сахар 1 кг', priceTiyin: 1400000, quantityMilli: 2000, code: '20044', icps: '01701001001000000', group: 'Бакалея' });
  const tv = uzPosition({ name: 'Телевизор Artel 43"', priceTiyin: 389000000, quantityMilli: 1000, code: '50001', barcode: '4780001000019', icps: '08528001001000000', label: '0104780001000019215abcDEF', group: 'Техника' });
  return [
    { code: 'demo-sale-0001', pos_id: '1', session_code: '1', cashier_name: 'Каримова Дилноза', positions: [coke, bread], payments: [{ type: 1, value: 2200000 }] },
    { code: 'demo-sale-0002', pos_id: '1', session_code: '1', cashier_name: 'Каримова Дилноза', positions: [tea, sugar], payments: [{ type: 2, value: 4650000, card_type: 2, RRN: '612345678901', payment_id: 'T-0002' }] },
    { code: 'demo-sale-0003', pos_id: '1', session_code: '1', cashier_name: 'Юсупов Азиз', positions: [tv], payments: [
      { type: 1, value: 100000000 },
      { type: 2, value: 289000000, card_type: 2, RRN: '612345678902', payment_id: 'T-0003' },
    ] },
  ];
}
