/**
 * Change-feed cursors the department issued and no one else can make: the position in the feed
 * and an HMAC of it under a key civil affairs keeps in its own database. The key is created once,
 * by a migration, so it is the same after a restart and on every replica sharing the database
 * (a stored cursor stays valid: resuming across restarts is the feed's whole point), and it
 * never leaves the department. A cursor that does not verify is refused, never read as "nothing
 * new": a client would store the empty page's cursor and skip history.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely, Migration } from 'kysely';
import { badUserInput } from '../../schema/errors.ts';

interface FeedCursorKeyTable {
  id: number;
  /** 32 random bytes, base64. */
  secret: string;
}
type KeyDB = { feed_cursor_key: FeedCursorKeyTable };

export const feedCursorMigrations: Record<string, Migration> = {
  '0003_feed_cursor_key': {
    async up(db) {
      await db.schema
        .createTable('feed_cursor_key')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('secret', 'text', (c) => c.notNull())
        .execute();
      await (db as Kysely<KeyDB>)
        .insertInto('feed_cursor_key')
        .values({ id: 1, secret: randomBytes(32).toString('base64') })
        .execute();
    },
  },
};

const keys = new WeakMap<object, Promise<Buffer>>();

/** The department's cursor key, read once per database handle. */
export function feedCursorKey<DB>(db: Kysely<DB>): Promise<Buffer> {
  let key = keys.get(db);
  if (!key) {
    key = (db as unknown as Kysely<KeyDB>)
      .selectFrom('feed_cursor_key')
      .select('secret')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow()
      .then((row) => Buffer.from(row.secret, 'base64'));
    // A failed read is retried by the next call rather than remembered.
    key.catch(() => keys.delete(db));
    keys.set(db, key);
  }
  return key;
}

const MAC_CHARS = 22; // 128 bits of HMAC-SHA256, base64url

function macOf(key: Buffer, sequence: number): string {
  return createHmac('sha256', key)
    .update(`assistance-changes:${sequence}`)
    .digest('base64url')
    .slice(0, MAC_CHARS);
}

export function encodeChangeCursor(key: Buffer, sequence: number): string {
  return Buffer.from(`change:${sequence}:${macOf(key, sequence)}`).toString('base64url');
}

const POSITION = /^change:(\d{1,15})(:|$)/;

/** The position a cursor stands for (0 for none); BAD_USER_INPUT unless this feed issued it. */
export function decodeChangeCursor(key: Buffer, cursor: string | null | undefined): number {
  if (cursor === null || cursor === undefined || cursor === '') return 0;
  const match = POSITION.exec(Buffer.from(cursor, 'base64url').toString());
  if (match && match[2] === '') {
    throw badUserInput(
      'after is a cursor from an earlier version of this feed, which is no longer accepted: ' +
        'read the feed again without after (records keep their ids, so those already stored can be skipped)',
      { argument: 'after' },
    );
  }
  // Only the exact text this feed would issue for that position (base64 decoding forgives).
  const sequence = match ? Number(match[1]) : NaN;
  const expected = Buffer.from(
    Number.isSafeInteger(sequence) ? encodeChangeCursor(key, sequence) : '',
  );
  const given = Buffer.from(cursor);
  if (
    expected.length === 0 ||
    expected.length !== given.length ||
    !timingSafeEqual(expected, given)
  ) {
    throw badUserInput('after is not a cursor this feed gave out', { argument: 'after' });
  }
  return sequence;
}

/** Refuses a position past the feed's head (a restored database, a cursor from elsewhere). */
export function requireWithinHead(position: number, head: number): void {
  if (position > head) {
    throw badUserInput(
      'after is beyond the end of this feed: it was not issued by this feed as it stands now',
      { argument: 'after' },
    );
  }
}
