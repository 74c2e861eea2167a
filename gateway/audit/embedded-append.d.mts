import type { Database } from 'better-sqlite3';
import type { AccessLogTable, AuditTables } from './audit-tables.ts';

export interface ChainHead {
  seq: number;
  hash: string;
}

/** One group's rows, chained from `from`; `head` is the chain's head after them. */
export interface ChainedGroup {
  from: ChainHead;
  head: ChainHead;
  rows: AccessLogTable[];
  subjects: AuditTables['access_subjects'][];
}

export function createEmbeddedAppender(db: Database): (group: ChainedGroup) => boolean;
