import type { StoredDocument } from './state';
import { documentTlv } from './fnDocumentTlv';

/**
 * 0xFF3A / 0xFF3B on the device side (PROTOCOL.md §Fiscal document read-back): 0xFF3A picks a document
 * and answers its ФФД type (2 bytes) and TLV length (2 bytes); each 0xFF3B then answers the next block of
 * its TLV, and once all of it was given, ФН error 0x08 «нет запрошенных данных». A number the ФН does
 * not hold is 0x08 too. The read position lives in RAM: a power cut forgets it.
 */
export const FN_NO_DATA = 0x08;

/** Bytes per 0xFF3B answer: no public source gives the device's; a frame carries at most 252 (PROTOCOL.md). */
export const TLV_BLOCK_BYTES = 128;

export type ReadoutAnswer = { ok: Buffer } | { error: number };

export class TlvReadout {
  private rest: Buffer | null = null;

  /** The stored TLV as it was registered; documents from before it was kept are encoded from their record. */
  static bytesOf(doc: StoredDocument, fnNumber: string): Buffer {
    return doc.tlvHex === undefined ? documentTlv(doc, fnNumber) : Buffer.from(doc.tlvHex, 'hex');
  }

  request(doc: StoredDocument | undefined, fnNumber: string): ReadoutAnswer {
    if (!doc) {
      this.rest = null;
      return { error: FN_NO_DATA };
    }
    const bytes = TlvReadout.bytesOf(doc, fnNumber);
    this.rest = bytes;
    const head = Buffer.alloc(4);
    head.writeUInt16LE(doc.type, 0);
    head.writeUInt16LE(bytes.length, 2);
    return { ok: head };
  }

  nextBlock(): ReadoutAnswer {
    if (!this.rest || this.rest.length === 0) {
      this.rest = null;
      return { error: FN_NO_DATA };
    }
    const block = this.rest.subarray(0, TLV_BLOCK_BYTES);
    this.rest = this.rest.subarray(block.length);
    return { ok: block };
  }

  forget(): void {
    this.rest = null;
  }
}
