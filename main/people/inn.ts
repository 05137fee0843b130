/**
 * A person's ИНН (12 digits) with its two check digits: weights 7 2 4 10 3 5 9 4 6 8 over the first ten
 * digits give the 11th, 3 7 2 4 10 3 5 9 4 6 8 over the first eleven give the 12th, each sum mod 11 mod 10.
 * Sources: logachev.pro «Проверка ИНН по контрольной сумме», infostart.ru public/70687 (main/people/README.md).
 * The two cashier INNs in javapos_shtrih's PrinterTest.java (fsWriteTag(1203, …)) pass it; tag 1203 carries it.
 */
const W11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const W12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

const checkDigit = (digits: readonly number[], weights: readonly number[]): number =>
  (weights.reduce((sum, w, i) => sum + w * (digits[i] ?? 0), 0) % 11) % 10;

export function isPersonalInn(text: string): boolean {
  if (!/^\d{12}$/.test(text)) return false;
  const d = [...text].map(Number);
  return checkDigit(d, W11) === d[10] && checkDigit(d, W12) === d[11];
}

/** Why an entered INN is refused, in Russian, or null when it is a valid personal INN. */
export function innProblem(text: string): string | null {
  if (!/^\d*$/.test(text)) return 'ИНН кассира — только цифры.';
  if (text.length !== 12) return `ИНН кассира — 12 цифр, введено ${text.length}.`;
  return isPersonalInn(text) ? null : 'ИНН кассира введён с ошибкой: не сходится контрольное число. Проверьте цифры.';
}
