/**
 * The change feed: every determination and feedback in commit order, each listed only to callers
 * who may read the household's assistance data. The cursor is the last change examined, visible
 * or not, so a reader never rescans what it may not see and never misses what it may.
 */
import type { Kysely } from 'kysely';
import { badUserInput } from '../../schema/errors.ts';
import type { SubgraphContext } from '../runtime/definition.ts';
import {
  decodeChangeCursor,
  encodeChangeCursor,
  feedCursorKey,
  requireWithinHead,
} from './feed-cursor.ts';
import type { AssistanceLoaders } from './loaders.ts';
import type { AssistanceDB, ChangeRow } from './tables.ts';

type Context = SubgraphContext<AssistanceLoaders>;

const MAX_FIRST = 500;
const SCAN_BATCH = 500;
/** Rows examined per call at most, so one call stays cheap however little the caller may see. */
const MAX_SCAN = 10_000;

/** The last position of the feed (0 when empty). */
async function headOf(db: Kysely<AssistanceDB>): Promise<number> {
  const row = await db
    .selectFrom('changes')
    .select((eb) => eb.fn.max('sequence').as('head'))
    .executeTakeFirst();
  return Number(row?.head ?? 0);
}

async function scan(db: Kysely<AssistanceDB>, after: number, first: number, ctx: Context) {
  const visible: ChangeRow[] = [];
  let last = after;
  let scanned = 0;
  while (visible.length < first && scanned < MAX_SCAN) {
    const rows = await db
      .selectFrom('changes')
      .selectAll()
      .where('sequence', '>', last)
      .orderBy('sequence')
      .limit(SCAN_BATCH)
      .execute();
    for (const row of rows) {
      last = Number(row.sequence);
      scanned += 1;
      const household = { kind: 'household' as const, id: row.household_id };
      if (ctx.guard.canRead('assistance', household, 'Query.assistanceChanges')) visible.push(row);
      if (visible.length === first) break;
    }
    if (rows.length < SCAN_BATCH) break;
  }
  return { visible, last };
}

export async function assistanceChanges(
  _: unknown,
  args: { after?: string | null; first?: number | null },
  ctx: Context,
) {
  const first = args.first ?? 100;
  if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST) {
    throw badUserInput(`first must be from 1 to ${MAX_FIRST}`, { argument: 'first' });
  }
  // Refuse rather than advance the reader's cursor past changes it was never able to see.
  ctx.guard.requirePurpose('assistance', 'Query.assistanceChanges');
  const db = ctx.loaders.db;
  const key = await feedCursorKey(db);
  const after = decodeChangeCursor(key, args.after);
  requireWithinHead(after, await headOf(db));
  const { visible, last } = await scan(db, after, first, ctx);
  const ids = (kind: string) => visible.filter((c) => c.kind === kind).map((c) => c.record_id);
  const determinationIds = ids('DETERMINATION');
  const feedbackIds = ids('FEEDBACK');
  const [determinations, feedback, more] = await Promise.all([
    determinationIds.length
      ? db.selectFrom('determinations').selectAll().where('id', 'in', determinationIds).execute()
      : [],
    feedbackIds.length
      ? db.selectFrom('feedback').selectAll().where('id', 'in', feedbackIds).execute()
      : [],
    db
      .selectFrom('changes')
      .select('sequence')
      .where('sequence', '>', last)
      .limit(1)
      .executeTakeFirst(),
  ]);
  const byId = new Map<string, unknown>([...determinations, ...feedback].map((r) => [r.id, r]));
  return {
    changes: visible.map((c) => ({
      cursor: encodeChangeCursor(key, Number(c.sequence)),
      kind: c.kind,
      recordedAt: c.recorded_at,
      household: { id: c.household_id },
      determination: c.kind === 'DETERMINATION' ? byId.get(c.record_id) : null,
      feedback: c.kind === 'FEEDBACK' ? byId.get(c.record_id) : null,
    })),
    endCursor: encodeChangeCursor(key, last),
    hasMore: more !== undefined,
  };
}
