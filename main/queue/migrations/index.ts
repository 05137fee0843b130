import type { Migration } from '../database';
import { outboxMigration } from './001_outbox';
import { refundsMigration } from './002_refunds';
import { outboxIndexesMigration } from './003_outboxIndexes';
import { refundRecoveryNoticesMigration } from './004_refundRecoveryNotices';
import { sentMarkAndTillMigration } from './005_sentMarkAndTill';
import { instalmentPaymentsMigration } from './006_instalmentPayments';
import { refundReceiptsMigration } from './007_refundReceipts';
import { manyTillsMigration } from './008_manyTills';
import { peopleMigration } from './009_people';
import { recoveredReceiptLinesMigration } from './010_recoveredReceiptLines';
import { refundMarkingCodesMigration } from './011_refundMarkingCodes';
import { refundReasonTextMigration } from './012_refundReasonText';
import { codedQueueAndInstalmentReasonsMigration } from './013_codedQueueAndInstalmentReasons';

/** Append-only, in version order: a new schema step is one new file and one new line here. */
export const allMigrations: readonly Migration[] = [
  outboxMigration,
  refundsMigration,
  outboxIndexesMigration,
  refundRecoveryNoticesMigration,
  sentMarkAndTillMigration,
  instalmentPaymentsMigration,
  refundReceiptsMigration,
  manyTillsMigration,
  peopleMigration,
  recoveredReceiptLinesMigration,
  refundMarkingCodesMigration,
  refundReasonTextMigration,
  codedQueueAndInstalmentReasonsMigration,
];
