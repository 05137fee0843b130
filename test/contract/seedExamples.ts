/**
 * Request and response examples copied from the seed documents (../shared/seeds), each naming its file
 * and section. Nothing here comes from the clients or the emulators: the contract tests hold both to
 * these texts.
 */

/** Seed 002 (002_816e9afd768579af.txt), "Занесение чека возврата." → "Пример запроса". */
export const SEED_002_REFUND_REQUEST = {
  auth: 'a2Fzc2E6a2FzMTIzNDU2',
  id: 1,
  jsonrpc: '2.0',
  method: 'Receipt.Refund',
  params: {
    cashier_name: 'Administrator',
    code: 'res-000782',
    phone: '998918935861',
    pos_id: '1',
    seller_name: 'Rustam',
    session_code: '486',
    positions: [
      {
        amount: 900000, articul: '56394857', barcode: '5449000000996', label: '5784397583956248569', code: '64963',
        color_name: 'Красный', country_name: 'Узбекистан', department_name: 'Напитки', discount: 0, group_name: 'Напитки',
        name: 'Coca-cola', producer_name: 'Coca Cola co', quantity: 1000, size_name: '1l', type_name: 'Товар', unit_name: 'шт',
        vat_value: 1200, icps: '02202002001010036', package_code: '1218868', brand_name: 'Pepsi-Cola', commission_inn: '923409418',
        owner_type: 'BuyingAndSelling',
      },
    ],
    payments: [{ type: 1, value: 900000 }],
    custom_variables: [{ name: 'gratitude', value: 'thank you for buying :)' }],
    refund_info: {
      DateTime: '2022-07-18 14:35:04',
      FiscalSign: '853234561062',
      QRCodeURL: 'https://ofd.soliq.uz/check?t=UZ210108170541&r=20&c=20220531161950&s=345411154513',
      ReceiptNo: '187',
      TerminalID: 'VG298343428256',
    },
  },
};

/** Seed 002, "Пример ответа". */
export const SEED_002_REFUND_RESPONSE = {
  id: 1,
  ok: true,
  result: {
    Id: '59683513-a845-5ce3-bf75-4f35f7a7d846',
    Amount: 900000,
    QRCodeURL: 'https://ofd.soliq.uz/check?t=UZ210108170541&r=20&c=20220531161950&s=345411154513',
    TerminalID: 'VG298343428256',
    ReceiptNo: '187',
    DateTime: '2022-07-18 14:35:04',
    FiscalSign: '853234561062',
  },
  jsonrpc: '2.0',
};

/** Seed 003 (003_fab716a5315af3c5.txt), "Добавление кредитного чека." → "Пример запроса" (its "сard_type" keeps the Cyrillic "с"). */
export const SEED_003_CREDIT_REQUEST = {
  id: 1,
  auth: 'a2Fzc2E6a2FzMTIzNDU2',
  method: 'Receipt.Credit',
  params: {
    cashier_name: 'Administrator',
    code: '1-0000782',
    phone: '998918935861',
    pos_id: '00027',
    seller_name: null,
    session_code: '1-0000086',
    positions: [
      {
        amount: 900000, articul: '', barcode: '000001', brand_name: null, code: '000001', color_name: null, commission_inn: '923409418',
        country_name: null, department_name: null, discount: 0, group_name: 'Напитки', icps: '02202002001010036', label: '',
        name: 'Coca-cola', package_code: '1218868', producer_name: 'Coca Cola', quantity: 1000, size_name: null, type_name: 'Товар',
        unit_name: 'шт', vat_value: 1500,
      },
    ],
    payments: [
      { type: 1, value: 500000, payment_id: '4411-563-4236' },
      { type: 2, value: 400000, payment_id: '4341-563-4536', '\u0441ard_type': 2, RRN: '847204678473' },
    ],
    custom_variables: null,
  },
  jsonrpc: '2.0',
};

/** Seed 003, "Пример ответа". */
export const SEED_003_CREDIT_RESPONSE = { id: 1, ok: true, result: { id: '3ca29f3a-c19a-4a43-ba28-8425bf9bf383' }, jsonrpc: '2.0' };

/** Seed 000 (000_e5ff4d317ef39991.txt), "Получить документ возврата": the page fields of its example answer. */
export const SEED_000_PAGE = {
  next_page_token: 'OdDEFa2CzpYdp1CmlO9s9mjBn4NkUZB3CXKOtNfQWM0',
  page_number: 1,
  pages_total: 2,
  items_per_page: 20,
  items_total: 27,
};

/** Seed 001 (001_aca9108ff236d9ac.txt), "Как бить чеки аванса и предоплаты по АПИ?": the tags of its two receipts. */
export const SEED_001_PREPAYMENT = {
  first: { type: 1, field: 'card_amount' },
  second: { type: 4, field: 'prepayment_amount' },
};
