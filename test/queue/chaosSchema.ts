import { allMigrations } from '../../main/queue/migrations';
import type { Migration } from '../../main/queue/database';

/** The chaos child's "business row": committed in the same transaction as the two jobs it starts. */
export const chaosMigrations: readonly Migration[] = [
  ...allMigrations,
  {
    version: allMigrations.length + 1,
    name: 'chaos-orders',
    up: 'CREATE TABLE chaos_orders (create_key TEXT PRIMARY KEY, patch_key TEXT NOT NULL UNIQUE) STRICT',
  },
];
