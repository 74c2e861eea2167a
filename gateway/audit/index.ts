/**
 * Opens the access log (the platform's database), its group-commit writer and, for the embedded
 * log, its thread (commits and checkpoints, log-thread.ts).
 */
import { openDatabase } from '../../lib/db.ts';
import { AuditLog, EMBEDDED_CHECKPOINT_PAGES, type AuditTables } from './audit-log.ts';
import { startLogThread, type LogThread } from './log-thread.ts';
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
  /**
   * The embedded log's thread stopped: the groups it held fail, and the log goes on with commits
   * and checkpoints on the gateway's own connection.
   */
  onLogThreadError?: (error: Error) => void;
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
  let thread: LogThread | undefined;
  try {
    const log = await AuditLog.open(database, fieldCategories(options.supergraphSdl));
    if (database.sqlite) {
      thread = await startLogThread({
        file: database.sqlite.name,
        checkpointPages: EMBEDDED_CHECKPOINT_PAGES,
        ...(options.onLogThreadError ? { onError: options.onLogThreadError } : {}),
      });
      log.attachThread(thread);
    }
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
        await thread?.stop();
        await database.close();
      },
    };
  } catch (error) {
    await thread?.stop();
    await database.close();
    throw error;
  }
}
