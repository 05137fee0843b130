/**
 * The same keys on the two layouts a Russian till has: US QWERTY and Russian ЙЦУКЕН (the standard
 * Windows/X11 "Russian" layout; the shifted row differs: Shift+2 is `"`, Shift+3 `№`, Shift+4 `;`,
 * Shift+6 `:`, Shift+7 `?`, and the `/` key gives `.` and `,`). A keyboard-wedge scanner types key
 * codes, so a code scanned with the wrong layout active arrives as the other layout's characters:
 * "F-1001" for "А-1001", "е=20240115Е1230&ы=..." for "t=20240115T1230&s=...".
 */
const US = "qwertyuiop[]asdfghjkl;'zxcvbnm,./`QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>?~@#$^&";
const RU = 'йцукенгшщзхъфывапролджэячсмитьбю.ёЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,Ё"№;:?';

const usToRu = new Map<string, string>();
const ruToUs = new Map<string, string>();
for (let i = 0; i < US.length; i++) {
  usToRu.set(US.charAt(i), RU.charAt(i));
  ruToUs.set(RU.charAt(i), US.charAt(i));
}

const CYRILLIC = /[\u0400-\u04ff]/;

/**
 * What the same key presses would have typed on the other layout. Text with any Cyrillic letter was
 * typed on ЙЦУКЕН and comes back as QWERTY; anything else goes the other way. Keys that are the same on
 * both layouts (digits, `-`, `=`, space) stay.
 */
export function switchLayout(text: string): string {
  const map = CYRILLIC.test(text) ? ruToUs : usToRu;
  let out = '';
  for (const ch of text) out += map.get(ch) ?? ch;
  return out;
}
