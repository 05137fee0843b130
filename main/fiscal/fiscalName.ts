/**
 * A position's name as the receipt can hold it. Tag 1030 takes at most 128 bytes, and the Shtrih-M sends
 * names in CP1251: one byte per UTF-16 unit (a character CP1251 lacks becomes "?", an emoji two of them;
 * PROTOCOL.md §Receipt limits, §Encoding). Back ends keep longer names (preload/contract/limits.ts
 * MAX_LEN.name), so a longer one is cut to 127 bytes' worth and ends with "…" (CP1251 0x85): the receipt
 * shows that it was shortened, and the device never sees a name it would refuse.
 */
export const MAX_NAME_BYTES = 128;

export function fiscalName(name: string): string {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (trimmed.length <= MAX_NAME_BYTES) return trimmed;
  // Whole code points only: never half of an emoji's surrogate pair.
  let kept = '';
  for (const ch of trimmed) {
    if (kept.length + ch.length > MAX_NAME_BYTES - 1) break;
    kept += ch;
  }
  return `${kept.trimEnd()}…`;
}
