/**
 * Opens the access log (the platform's database), its group-commit writer and, for the embedded
 * log, its checkpointer thread (its writer thread starts with the first append).
 */
import { openDatabase, type ConnectionChange } from '../../lib/db.ts';
import { AuditLog, type AuditTables } from './audit-log.ts';
import { startCheckpointer, type Checkpointer } from './checkpointer.ts';
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
  onFailure?: GroupCommitOptions['onFailure'];
  /** The PostgreSQL log's connection was lost or restored (appends fail meanwhile: AUDIT_UNAVAILABLE). */
  onConnectionChange?: (change: ConnectionChange) => void;
  /** The embedded log's checkpointer thread stopped (the log goes on; its writer checkpoints in its commits). */
  onCheckpointerError?: (error: Error) => void;
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
    ...(options.onConnectionChange ? { onConnectionChange: options.onConnectionChange } : {}),
  });
  let checkpointer: Checkpointer | undefined;
  try {
    const log = await AuditLog.open(database, fieldCategories(options.supergraphSdl));
    if (database.sqlite) {
      checkpointer = await startCheckpointer({
        file: database.sqlite.name,
        ...(options.onCheckpointerError ? { onError: options.onCheckpointerError } : {}),
      });
    }
    const writer = new GroupCommitWriter({
      append: (records) => log.append(records),
      commitDelayMs: options.commitDelayMs ?? 0,
      ...(options.onFlush ? { onFlush: options.onFlush } : {}),
      ...(options.onFailure ? { onFailure: options.onFailure } : {}),
    });
    return {
      log,
      writer,
      close: async () => {
        await writer.flush();
        await log.close();
        await checkpointer?.stop();
        await database.close();
      },
    };
  } catch (error) {
    await checkpointer?.stop();
    await database.close();
    throw error;
  }
}
