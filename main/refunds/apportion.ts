/**
 * Splits an integer total in proportion to integer weights, to the minor unit: each share is the floor
 * of its exact part, and the units left by rounding go to the largest remainders, earlier entries first
 * on a tie (Hamilton's method). The shares always add up to the total; with a total no larger than the
 * weights' sum no share exceeds its weight. All weights zero gives nothing to anyone.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + BigInt(w), 0n);
  if (sum === 0n) return weights.map(() => 0);
  const big = BigInt(total);
  const shares = weights.map((w, index) => {
    const exact = big * BigInt(w);
    return { index, base: exact / sum, rest: exact % sum };
  });
  let leftover = big - shares.reduce((s, x) => s + x.base, 0n);
  const byRest = [...shares].sort((a, b) => (b.rest === a.rest ? a.index - b.index : b.rest > a.rest ? 1 : -1));
  for (let i = 0; leftover > 0n; i = (i + 1) % byRest.length) {
    const share = byRest[i];
    if (share) share.base += 1n;
    leftover -= 1n;
  }
  return shares.map((s) => Number(s.base));
}
