/**
 * Where revocations are kept: a table in the platform's database (the access log's: embedded
 * SQLite by default, a PostgreSQL schema shared by every replica when DATABASE_URL is set). It is
 * the source of truth; the shared store's view (Redis or memory) is rebuilt from it.
 */
import type { Kysely, Migration } from 'kysely';
import type { KeptRevocation, RevocationRecord } from '../../lib/store/index.ts';

export interface ConsentRevocationsTable {
  consent_id: string;
  revoked_at: string;
  revoked_by: string;
  reason: string;
  /** Ms since epoch; PostgreSQL's bigint comes back as a string. */
  expires_at: number | string;
}

export interface RevocationTables {
  consent_revocations: ConsentRevocationsTable;
}

/** The platform database's migration for this table (listed with the access log's). */
export const consentRevocationsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('consent_revocations')
      .addColumn('consent_id', 'text', (c) => c.primaryKey())
      .addColumn('revoked_at', 'text', (c) => c.notNull())
      .addColumn('revoked_by', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('consent_revocations_expiry')
      .on('consent_revocations')
      .column('expires_at')
      .execute();
  },
};

const kept = (row: ConsentRevocationsTable): KeptRevocation => ({
  record: {
    consentId: row.consent_id,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
    reason: row.reason,
  },
  expiresAt: Number(row.expires_at),
});

export class RevocationLedger {
  private readonly db: Kysely<RevocationTables>;

  /**
   * The platform's database (lib/db.ts), already migrated: the access log's migrations include
   * this table's. Typed loosely: it is opened with the access log's tables.
   */
  constructor(database: { readonly db: unknown }) {
    this.db = database.db as unknown as Kysely<RevocationTables>;
  }

  /** Records a revocation, committed before it returns; the first one (time, who, why) is kept. */
  async record(record: RevocationRecord, expiresAt: number): Promise<KeptRevocation> {
    await this.db
      .insertInto('consent_revocations')
      .values({
        consent_id: record.consentId,
        revoked_at: record.revokedAt,
        revoked_by: record.revokedBy,
        reason: record.reason,
        expires_at: expiresAt,
      })
      .onConflict((conflict) => conflict.column('consent_id').doNothing())
      .execute();
    const row = await this.db
      .selectFrom('consent_revocations')
      .selectAll()
      .where('consent_id', '=', record.consentId)
      .executeTakeFirstOrThrow();
    return kept(row);
  }

  /** The revocation of a consent that could still be presented. */
  async find(consentId: string): Promise<KeptRevocation | null> {
    const row = await this.db
      .selectFrom('consent_revocations')
      .selectAll()
      .where('consent_id', '=', consentId)
      .where('expires_at', '>', Date.now())
      .executeTakeFirst();
    return row ? kept(row) : null;
  }

  /** Every revocation whose consent could still be presented, and forgets the others. */
  async unexpired(now = Date.now()): Promise<KeptRevocation[]> {
    await this.db.deleteFrom('consent_revocations').where('expires_at', '<=', now).execute();
    const rows = await this.db
      .selectFrom('consent_revocations')
      .selectAll()
      .where('expires_at', '>', now)
      .execute();
    return rows.map(kept);
  }
}
