import { position } from './fnDocumentTlv';
import type { StoredPosition } from './state';

/**
 * The per-receipt limits the emulated device enforces besides the position count (main/fiscal/shtrih/PROTOCOL.md
 * §Receipt limits has each source and which numbers are assumptions).
 */

/** Tag 1030, the position's name: 0…128 bytes (javapos FSPrintRecItem; PROTOCOL.md §Commands 0xFF46). */
export const MAX_NAME_BYTES = 128;

/**
 * The longest value FF0C may give the tags the app sends: 1008 (customer's phone or e-mail) 64, 1021
 * (cashier) 64, 1203 (cashier's INN) 12 bytes — javapos TLVTags.java (`add(1008, …, itASCII, 64)`,
 * `add(1021, …, 64)`, `add(1203, …, 12, true)`).
 */
export const TLV_MAX_BYTES: Readonly<Record<number, number>> = { 1008: 64, 1021: 64, 1203: 12 };

/** 0x17's text is a fixed 40-byte field (pyshtrih COMMANDS; PROTOCOL.md §Commands 0x17). */
export const PRINT_LINE_BYTES = 40;

/**
 * How large one receipt's record in the ФН may grow. No public source gives the number; the ФН's answer
 * past it is public (0x10 «Превышение размеров TLV данных»). 32 KiB is our assumption, stated in
 * PROTOCOL.md: a receipt of the app's at most 100 positions with 128-byte names is about 18 KB, so the
 * position limit binds first.
 */
export const ASSUMED_DOCUMENT_BYTES = 32_768;

/**
 * What a receipt's record holds besides its positions, at most: the common tags (1040, 1012, 1077, 1041,
 * 1038, 1021 up to 64 bytes), 1054, 1020, the five tender sums and tag 1008 (up to 64 bytes).
 */
const RECEIPT_FRAME_BYTES = 400;

/** The receipt's record in the ФН once these positions are in it (the emulator's own TLV, fnDocumentTlv.ts). */
export function receiptDocumentBytes(positions: readonly StoredPosition[]): number {
  return positions.reduce((sum, p) => sum + position(p).length, RECEIPT_FRAME_BYTES);
}
