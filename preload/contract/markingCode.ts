/**
 * A Честный знак marking code (GS1 DataMatrix) as a keyboard-wedge scanner types it, made into the one
 * form the ФН takes and a key that names the unit. Shared: the renderer uses it to put a scanned unit on
 * its line, the main process to check a refund's codes before any receipt. Sources: main/marking/README.md.
 *
 * - GS1 form: AI 01 + GTIN (14 digits) + AI 21 + serial, a group separator (GS, ASCII 29), then the check
 *   groups: 91 (4) GS 92 (44 or 88), or 93 (4) — markirovka.ru "Состав кода маркировки" (water: 21 +
 *   13 characters, 93 + 4), docs.cntd.ru 603206926 table 3 (dairy: 01, 21, 93).
 * - Tobacco pack short form: 29 characters, GTIN (14) + serial (7) + check code (8), no AIs
 *   (help.crpt-turon.uz, "Tobacco Products: Marking Code").
 * - The unit's identity (код идентификации, КИ) is 01 + GTIN + 21 + serial (markirovka.ru: "КИ … 01 +
 *   GTIN + 21 + серийный номер"); for the short form GTIN + serial.
 */
export const GS = '\u001d';

export interface MarkingCode {
  /** As sent to the ФН (FF61/FF67): AIs kept, GS between groups, no symbology prefix. */
  full: string;
  gtin: string;
  serial: string;
  /** The unit's identity: the same item scanned twice, with or without its check groups, has one key. */
  key: string;
  form: 'gs1' | 'tobaccoShort';
}

/**
 * How scanners and the programs between them spell the separator: the byte itself, caret notation of
 * Ctrl+] ("^]"), the "<GS>" some scanner set-ups type, escaped text copied from logs and JSON, the
 * visible symbol U+241D. FNC1 at the very start (ASCII 232 "è", or a leading GS) and the AIM symbology
 * identifier "]d2" are not part of the code.
 */
const SEPARATOR_SPELLINGS = [/<GS>/gi, /\{GS\}/gi, /\[GS\]/gi, /\^\]/g, /\\u001d/gi, /\\x1d/gi, /\u241d/g];

/** FNC1 as ASCII 232, how markirovka.ru names the symbol's start ("FNC1 (ASCII 232)"). */
const FNC1_TEXT = '\u00e8';

export function normaliseScan(input: string): string {
  let s = input.replace(/[\r\n]+$/g, '').trim();
  for (const spelling of SEPARATOR_SPELLINGS) s = s.replace(spelling, GS);
  s = s.replace(/^\]d2/, '');
  while (s.startsWith(GS) || s.startsWith(FNC1_TEXT)) s = s.slice(1);
  while (s.endsWith(GS)) s = s.slice(0, -1);
  return s;
}

const GTIN_AND_SERIAL = /^01(\d{14})21(.+)$/s;
/** The check tails a code ends with when the scanner dropped its separators. */
const TAILS: readonly RegExp[] = [/^(.+)(91.{4}92.{44})$/s, /^(.+)(91.{4}92.{88})$/s, /^(.+)(93.{4})$/s];
const SERIAL = /^[\x21-\x7e]{6,20}$/;

export function parseMarkingCode(input: string): MarkingCode | null {
  const s = normaliseScan(input);
  if (/^\d{14}[\x21-\x7e]{15}$/.test(s)) {
    const gtin = s.slice(0, 14);
    const serial = s.slice(14, 21);
    return { full: s, gtin, serial, key: gtin + serial, form: 'tobaccoShort' };
  }
  const head = GTIN_AND_SERIAL.exec(s);
  if (!head) return null;
  const gtin = head[1] ?? '';
  const rest = head[2] ?? '';
  let serial: string;
  let tail: string[];
  if (rest.includes(GS)) {
    const [first = '', ...groups] = rest.split(GS);
    serial = first;
    tail = groups.filter((g) => g !== '');
  } else {
    const split = TAILS.map((t) => t.exec(rest)).find((m) => m !== null && SERIAL.test(m[1] ?? ''));
    if (!split) return null;
    serial = split[1] ?? '';
    const checks = split[2] ?? '';
    tail = checks.startsWith('91') ? [checks.slice(0, 6), checks.slice(6)] : [checks];
  }
  if (!SERIAL.test(serial) || tail.some((g) => !/^\d{2}[\x20-\x7e]+$/.test(g))) return null;
  const key = `01${gtin}21${serial}`;
  return { full: [key, ...tail].join(GS), gtin, serial, key, form: 'gs1' };
}

/** A shop barcode (EAN-13, EAN-8, UPC-A) as the 14-digit GTIN a marking code carries. */
export function gtinOfBarcode(barcode: string): string | null {
  return /^\d{8,14}$/.test(barcode) ? barcode.padStart(14, '0') : null;
}

/** The key of a code, or of text that is not one (kept as typed, so unknown forms still compare). */
export function markingKey(code: string): string {
  return parseMarkingCode(code)?.key ?? normaliseScan(code);
}

/**
 * Whether a sale line is marked goods and the codes its sale knows: the back end's `marking` (LIFE POS),
 * or a REGOS line's `label` (seeds 002/003; main/marking/README.md §REGOS). null: not marked.
 */
export function saleLineCodes(line: { marking?: { codes: readonly string[] } | undefined; extra?: Record<string, unknown> | undefined }): readonly string[] | null {
  if (line.marking) return line.marking.codes;
  const label = line.extra?.label;
  return typeof label === 'string' && label.trim() !== '' ? [label] : null;
}
