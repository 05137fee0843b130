/**
 * The longest string each kind of contract field may hold. Every string that crosses the contract has
 * one (test/security/contractLimits.security.test.ts walks the schemas), so a caller holding the bridge
 * token cannot push a 900 KB id into the database, the logs or a back end's request. The limits are
 * generous on what the back ends send us (a longer value would make a real sale unrefundable) and tight
 * on what only the UI or another POS program types.
 */
export const MAX_LEN = {
  /**
   * Ids of sales, lines, payment parts, refunds and jobs: LIFE POS and LIFE PAY use 36-character GUIDs,
   * REGOS numeric ids, we use UUIDs; 128 leaves room for any of them with a prefix.
   */
  id: 128,
  /**
   * Short codes: receipt and ФН document numbers, fiscal sign, RRN, terminal ids, error codes, versions,
   * back ends' payment type names. The longest we know is 20 characters (ФН serial number).
   */
  code: 64,
  /** Date and time in ISO 8601 with an offset and milliseconds: 29 characters; 64 for other notations. */
  dateTime: 64,
  /**
   * Names of goods. 54-ФЗ prints at most 128 characters (tag 1030), but a back end may keep longer names,
   * which the receipt builder shortens; 1000 keeps such a sale refundable.
   */
  name: 1000,
  /**
   * Barcodes and marking codes (echoed in `extra`): an EAN is 13 characters, a Честный ЗНАК DataMatrix
   * code about 150 with its separators; 1000 covers both with room.
   */
  mark: 1000,
  /** Russian text we write for the cashier (messages, reasons, notices). */
  text: 2000,
  /** Technical detail for the store's IT person (a validation report, a device's answer). */
  detail: 8000,
  /** URLs, including a receipt's QR text: 2048 is what browsers and servers accept in practice. */
  url: 2048,
  /** Logins, serial port paths, device descriptions. */
  field: 256,
  /** Keys, tokens and passwords typed in settings: bearer tokens (JWT) run to a few KB. */
  secret: 4096,
} as const;
