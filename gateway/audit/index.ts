/** Opens the access log (the platform's database) and its group-commit writer. */
import { openDatabase } from '../../lib/db.ts';
import { AuditLog, type AuditTables } from './audit-log.ts';
import { fieldCategories } from './field-categories.ts';
import { GroupCommitWriter, type GroupCommitOptions } from './group-commit.ts';

export const AUDIT_DATABASE = 'platform';

export interface AuditOptions {
  dataDir: string;
  databaseUrl: string | undefined;
  databasePrefix?: string;
  supergraphSdl: string;
  /** GroupCommitOptions.commitDelayMs (AUDIT_COMMIT_DELAY_MS). */
  commitDelayMs?: number;
  onFlush?: GroupCommitOptions['onFlush'];
}

export interface Audit {
  log: AuditLog;
  writer: GroupCommitWriter;
  /** Flushes what is queued, then closes the database. */
  close(): Promise<void>;
}

export async function openAudit(options: AuditOptions): Promise<Audit> {
  const database = await openDatabase<AuditTables>({
    name: `${options.databasePrefix ?? ''}${AUDIT_DATABASE}`,
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
  });
  try {
    const log = await AuditLog.open(database, fieldCategories(options.supergraphSdl));
    const writer = new GroupCommitWriter({
      append: (records) => log.append(records),
      commitDelayMs: options.commitDelayMs ?? 0,
      ...(options.onFlush ? { onFlush: options.onFlush } : {}),
    });
    return {
      log,
      writer,
      close: async () => {
        await writer.flush();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
