import type { Amount, Deal, DealPosition, PaymentPart, Session } from './schemas';

/** What a LIFE POS emulator starts with: deals and, per deal guid, its sessions (thousandths, kopecks). */
export interface LifePosSeed {
  deals: Deal[];
  sessions: Record<string, Session[]>;
}

export const rub = (kopecks: number): Amount => ({ value: kopecks, currency: 'RUB' });

type LineSpec = Omit<DealPosition, 'sale_price' | 'total_sum' | 'good_type' | 'barcode'> & {
  priceKopecks: number; totalKopecks: number; barcode?: string;
};
/** BACKENDS.md payment part kinds: "Cash, Card, Cashless, Link, QuickPayment, Bnpl". */
type PartSpec = { guid: string; type_of: 'Cash' | 'Card' | 'Cashless' | 'Link' | 'QuickPayment' | 'Bnpl'; kopecks: number; rrn?: string };

/** A sale made in the store: the deal, and its sale session whose payment parts add up to the total. */
export function saleDeal(opts: {
  guid: string; number: string; createdAt: string; lines: LineSpec[]; parts: PartSpec[]; saleSessionGuid: string;
}): { deal: Deal; sale: Session & { receipt: null } } {
  const positions: DealPosition[] = opts.lines.map((l) => ({
    guid: l.guid, name: l.name, good_type: l.item_sign === 'service' ? 'Service' : 'Goods', barcode: l.barcode ?? null,
    quantity: l.quantity, sale_price: rub(l.priceKopecks), total_sum: rub(l.totalKopecks),
    tax: l.tax, payment_method: l.payment_method, item_sign: l.item_sign,
    ...(l.marking_codes ? { marking_codes: l.marking_codes } : {}),
  }));
  const total = opts.lines.reduce((s, l) => s + l.totalKopecks, 0);
  const paid = opts.parts.reduce((s, p) => s + p.kopecks, 0);
  if (paid !== total) throw new Error(`seed deal ${opts.number}: paid ${paid} != total ${total}`);
  const payment_parts: PaymentPart[] = opts.parts.map((p) => ({
    guid: p.guid, type_of: p.type_of, amount: rub(p.kopecks), status: 'Accepted',
    primary_payment_part: null, primary_sale_session: null,
    transactions: p.rrn ? [{ rrn: p.rrn, amount: rub(p.kopecks), created_at: opts.createdAt }] : [],
  }));
  return {
    deal: {
      guid: opts.guid, number: opts.number, created_at: opts.createdAt, state: 'Completed', payment_status: 'Paid',
      shipping_status: 'Shipped', total_sum: rub(total), positions,
    },
    sale: {
      guid: opts.saleSessionGuid, type_of: 'Sale', created_at: opts.createdAt, archived: false, external_id: null,
      total_sum: rub(total), payment_parts,
      positions: positions.map((p) => ({ position_guid: p.guid, quantity: p.quantity, total_sum: p.total_sum })),
      receipt: null,
    },
  };
}

/**
 * Training deal А-1008: two bottles of milk that are marked goods (Честный знак, dairy: 01 GTIN 21 serial
 * GS 93 check code), made up in the structure of the public examples (main/marking/README.md), GTIN from the
 * barcode. А-1001 sells the same milk unmarked: the earlier training flows refund it whole with «*».
 */
export const TRAINING_MILK_CODES = ['0104607053470016215aB7kQ\u001d93dGVz', '0104607053470016215Xq3Zr\u001d93Zjqw'];

/**
 * Demo sales for training mode and tests: a grocery basket paid in cash, an appliance by card, clothes
 * paid partly in cash and partly by card, a sofa with 100 % prepayment, weighed apples, a kettle paid
 * through СБП (QuickPayment) and a phone paid in parts: "Долями" (Bnpl) and a payment link (Link).
 */
export function demoLifePosSeed(now: Date = new Date()): LifePosSeed {
  const at = (minutesAgo: number): string => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
  const built = [
    saleDeal({
      guid: '6f1c2a10-0001-4a8e-9d01-000000000001', number: 'А-1001', createdAt: at(240), saleSessionGuid: '5e5510e0-0001-4000-8000-000000000001',
      lines: [
        { guid: 'p-1001-1', name: 'Молоко 3,2 % 1 л', quantity: 2000, priceKopecks: 8990, totalKopecks: 17980, tax: 'vat10', payment_method: 'fullPayment', item_sign: 'goods', barcode: '4607053470016' },
        { guid: 'p-1001-2', name: 'Хлеб Бородинский', quantity: 1000, priceKopecks: 5500, totalKopecks: 5500, tax: 'vat10', payment_method: 'fullPayment', item_sign: 'goods', barcode: '4600682000136' },
        { guid: 'p-1001-3', name: 'Шампунь 400 мл', quantity: 1000, priceKopecks: 34900, totalKopecks: 34900, tax: 'vat22', payment_method: 'fullPayment', item_sign: 'goods', barcode: '4605922011262' },
      ],
      parts: [{ guid: 'pp-1001-cash', type_of: 'Cash', kopecks: 58380 }],
    }),
    saleDeal({
      guid: '6f1c2a10-0002-4a8e-9d01-000000000002', number: 'А-1002', createdAt: at(180), saleSessionGuid: '5e5510e0-0002-4000-8000-000000000002',
      lines: [
        { guid: 'p-1002-1', name: 'Кофемашина капсульная', quantity: 1000, priceKopecks: 1299000, totalKopecks: 1299000, tax: 'vat22', payment_method: 'fullPayment', item_sign: 'goods', barcode: '8710103863430' },
      ],
      parts: [{ guid: 'pp-1002-card', type_of: 'Card', kopecks: 1299000, rrn: '432109876543' }],
    }),
    saleDeal({
      guid: '6f1c2a10-0003-4a8e-9d01-000000000003', number: 'А-1003', createdAt: at(120), saleSessionGuid: '5e5510e0-0003-4000-8000-000000000003',
      lines: [
        { guid: 'p-1003-1', name: 'Куртка зимняя, р. 50', quantity: 1000, priceKopecks: 749000, totalKopecks: 749000, tax: 'vat22', payment_method: 'fullPayment', item_sign: 'goods' },
        { guid: 'p-1003-2', name: 'Шапка вязаная', quantity: 1000, priceKopecks: 129000, totalKopecks: 129000, tax: 'vat22', payment_method: 'fullPayment', item_sign: 'goods' },
      ],
      parts: [
        { guid: 'pp-1003-cash', type_of: 'Cash', kopecks: 200000 },
        { guid: 'pp-1003-card', type_of: 'Card', kopecks: 678000, rrn: '432109876544' },
      ],
    }),
    saleDeal({
      guid: '6f1c2a10-0004-4a8e-9d01-000000000004', number: 'А-1004', createdAt: at(60), saleSessionGuid: '5e5510e0-0004-4000-8000-000000000004',
      lines: [
        { guid: 'p-1004-1', name: 'Диван угловой «Неаполь» (предоплата 100 %)', quantity: 1000, priceKopecks: 4500000, totalKopecks: 4500000, tax: 'vat122', payment_method: 'prepayment100', item_sign: 'payment' },
      ],
      parts: [{ guid: 'pp-1004-card', type_of: 'Card', kopecks: 4500000, rrn: '432109876545' }],
    }),
    saleDeal({
      guid: '6f1c2a10-0005-4a8e-9d01-000000000005', number: 'А-1005', createdAt: at(30), saleSessionGuid: '5e5510e0-0005-4000-8000-000000000005',
      lines: [
        // 1.254 kg × 129.90 ₽ = 162.89 ₽ (printed line total, rounded by the till).
        { guid: 'p-1005-1', name: 'Яблоки Голден, кг', quantity: 1254, priceKopecks: 12990, totalKopecks: 16289, tax: 'vat10', payment_method: 'fullPayment', item_sign: 'goods' },
        { guid: 'p-1005-2', name: 'Пакет-майка', quantity: 1000, priceKopecks: 900, totalKopecks: 900, tax: 'vat22', payment_method: 'fullPayment', item_sign: 'goods' },
      ],
      parts: [{ guid: 'pp-1005-cash', type_of: 'Cash', kopecks: 17189 }],
    }),
    saleDeal({
      guid: '6f1c2a10-0006-4a8e-9d01-000000000006', number: 'А-1006', createdAt: at(25), saleSessionGuid: '5e5510e0-0006-4000-8000-000000000006',
      lines: [
        { guid: 'p-1006-1', name: 'Чайник электрический', quantity: 1000, priceKopecks: 349000, totalKopecks: 349000, tax: 'vat22', payment_method: 'fullPayment', item_sign: 'goods' },
      ],
      parts: [{ guid: 'pp-1006-sbp', type_of: 'QuickPayment', kopecks: 349000 }],
    }),
    saleDeal({
      guid: '6f1c2a10-0007-4a8e-9d01-000000000007', number: 'А-1007', createdAt: at(20), saleSessionGuid: '5e5510e0-0007-4000-8000-000000000007',
      lines: [
        { guid: 'p-1007-1', name: 'Смартфон 128 ГБ', quantity: 1000, priceKopecks: 2499000, totalKopecks: 2499000, tax: 'vat22', payment_method: 'fullPayment', item_sign: 'goods' },
      ],
      parts: [
        { guid: 'pp-1007-bnpl', type_of: 'Bnpl', kopecks: 1999000 },
        { guid: 'pp-1007-link', type_of: 'Link', kopecks: 500000 },
      ],
    }),
    saleDeal({
      guid: '6f1c2a10-0008-4a8e-9d01-000000000008', number: 'А-1008', createdAt: at(12), saleSessionGuid: '5e5510e0-0008-4000-8000-000000000008',
      lines: [
        { guid: 'p-1008-1', name: 'Молоко 3,2 % 1 л', quantity: 2000, priceKopecks: 8990, totalKopecks: 17980, tax: 'vat10', payment_method: 'fullPayment', item_sign: 'goods', barcode: '4607053470016', marking_codes: TRAINING_MILK_CODES },
        { guid: 'p-1008-2', name: 'Хлеб Бородинский', quantity: 1000, priceKopecks: 5500, totalKopecks: 5500, tax: 'vat10', payment_method: 'fullPayment', item_sign: 'goods', barcode: '4600682000136' },
      ],
      parts: [{ guid: 'pp-1008-cash', type_of: 'Cash', kopecks: 23480 }],
    }),
    wholesaleDeal(at(15)),
  ];
  return {
    deals: built.map((b) => b.deal),
    sessions: Object.fromEntries(built.map((b) => [b.deal.guid, [b.sale]])),
  };
}

/** A 300-line wholesale order paid in cash: the UI must stay under a frame per keypress on it (bench:ui). */
function wholesaleDeal(createdAt: string): { deal: Deal; sale: Session } {
  const lines: LineSpec[] = Array.from({ length: 300 }, (_, i) => {
    const priceKopecks = 4_990 + ((i * 7_919) % 90_000);
    const quantity = 1000 + (i % 5) * 1000;
    return {
      guid: `p-1300-${i + 1}`, name: `Товар опт № ${i + 1}`, quantity, priceKopecks, totalKopecks: (priceKopecks * quantity) / 1000,
      tax: i % 3 === 0 ? 'vat10' : 'vat22', payment_method: 'fullPayment', item_sign: 'goods',
    };
  });
  const total = lines.reduce((s, l) => s + l.totalKopecks, 0);
  return saleDeal({
    guid: '6f1c2a10-1300-4a8e-9d01-000000001300', number: 'А-1300', createdAt, saleSessionGuid: '5e5510e0-1300-4000-8000-000000001300',
    lines, parts: [{ guid: 'pp-1300-cash', type_of: 'Cash', kopecks: total }],
  });
}
