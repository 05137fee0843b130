import { AppError, isAppError } from '../../appError';
import { fnReadDocumentTlvBlock, fnRequestDocumentTlv, type CommandSpec } from './commands';
import type { FiscalDocument } from '../documents';
import { parseFfdReceipt, type FfdReceipt } from '../ffdReceipt';
import { TlvError, type DocumentTlv } from '../tlv';

type Run = <T>(spec: CommandSpec<T>) => Promise<T>;

/** ФН error «нет запрошенных данных»: the end of a document's TLV (and a number the ФН does not hold). */
const FN_NO_DATA = 0x08;
/** A frame carries at most 252 data bytes, a document at most 65535: a read past this many blocks is a loop. */
const MAX_BLOCKS = 65_535;

/**
 * 0xFF3A names the document and its TLV length; 0xFF3B answers it block by block until the ФН says there
 * is no more (0x08). Always read to that end, as the vendor's driver does: a desktop register stays in its
 * data-output mode until the document was read out (PROTOCOL.md §Fiscal document read-back). The bytes
 * must come to exactly the announced length.
 */
export async function readDocumentTlv(run: Run, password: number, number: number): Promise<DocumentTlv> {
  const head = await run(fnRequestDocumentTlv(password, number));
  const blocks: Buffer[] = [];
  for (let i = 0; ; i++) {
    if (i > MAX_BLOCKS) throw damaged(number, `more than ${MAX_BLOCKS} blocks for ${head.length} bytes`);
    let block: Buffer;
    try {
      block = await run(fnReadDocumentTlvBlock(password));
    } catch (e) {
      if (isAppError(e) && e.deviceCode === FN_NO_DATA) break;
      throw e;
    }
    if (block.length === 0) break;
    blocks.push(block);
  }
  const tlv = Buffer.concat(blocks);
  if (tlv.length !== head.length) throw damaged(number, `0xFF3A announced ${head.length} bytes, 0xFF3B gave ${tlv.length}`);
  return { number, documentType: head.documentType, tlv };
}

/**
 * A receipt with its positions, read back twice: the two reads must be the same bytes (a block damaged
 * in a way the frame's 8-bit checksum misses would have to be damaged the same way twice), and the
 * document must be the one 0xFF0A describes (number, fiscal sign, operation, total).
 */
export async function readReceipt(run: Run, password: number, summary: FiscalDocument): Promise<FfdReceipt> {
  const first = await readDocumentTlv(run, password, summary.number);
  const second = await readDocumentTlv(run, password, summary.number);
  if (!first.tlv.equals(second.tlv) || first.documentType !== second.documentType) {
    throw damaged(summary.number, 'two reads of the document differ');
  }
  let receipt: FfdReceipt;
  try {
    receipt = parseFfdReceipt(first.documentType, first.tlv);
  } catch (e) {
    if (e instanceof TlvError) throw damaged(summary.number, e.message, e);
    throw e;
  }
  const mismatch = [
    receipt.number !== summary.number && `number ${receipt.number}`,
    receipt.fiscalSign !== summary.fiscalSign && `fiscal sign ${receipt.fiscalSign} vs ${summary.fiscalSign}`,
    summary.operation !== undefined && receipt.operation !== summary.operation && `operation ${receipt.operation} vs ${summary.operation}`,
    summary.totalMinor !== undefined && receipt.totalMinor !== summary.totalMinor && `total ${receipt.totalMinor} vs ${summary.totalMinor}`,
  ].filter(Boolean);
  if (mismatch.length > 0) throw damaged(summary.number, `TLV disagrees with 0xFF0A: ${mismatch.join(', ')}`);
  return receipt;
}

function damaged(number: number, detail: string, cause?: unknown): AppError {
  return new AppError({
    code: 'FISCAL_DOCUMENT_UNREADABLE',
    message: `Документ ФД № ${number} не удалось прочитать из фискального накопителя: данные пришли повреждёнными. Программа прочитает его ещё раз; если ошибка повторяется, обратитесь в техподдержку.`,
    retry: 'transient',
    detail: `document ${number}: ${detail}`,
    ...(cause === undefined ? {} : { cause }),
  });
}
