/**
 * The Russian noun form after a number (1 попытку, 2 попытки, 5 попыток, 11 попыток, 21 попытку): shared by
 * the main process, which writes the Russian text, and the renderer's catalogue, which says the same sentence
 * from its code, so the two cannot disagree.
 */
export function russianPlural(n: number, forms: readonly [one: string, few: string, many: string]): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return forms[0];
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return forms[1];
  return forms[2];
}
