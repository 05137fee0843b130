/**
 * Integer minor units (kopecks, tiyin) and thousandths as the decimal text a Russian receipt or message
 * shows ("162,89", "1,254"), without passing through a float.
 */
export function decimalText(value: number, digits: number): string {
  const sign = value < 0 ? '-' : '';
  const text = String(Math.abs(value)).padStart(digits + 1, '0');
  return `${sign}${text.slice(0, -digits)},${text.slice(-digits)}`;
}

export const minorText = (minor: number): string => decimalText(minor, 2);

/** Thousandths without trailing zeros: 1000 → "1", 1250 → "1,25". */
export const quantityText = (milli: number): string => decimalText(milli, 3).replace(/,?0+$/, '');
