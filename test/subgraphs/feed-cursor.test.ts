/**
 * The change feed's cursors: only those civil affairs issued are accepted (MAC'd under a key in
 * its own database), never one beyond the feed's head, and the ones it issued stay valid across
 * a restart. A refused cursor is BAD_USER_INPUT naming `after`, never an empty page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { encodeChangeCursor, feedCursorKey } from '../../subgraphs/assistance/feed-cursor.ts';
import type { LaunchedDepartments } from '../../subgraphs/runtime/launch.ts';
import { subgraphGql } from '../helpers/access.ts';
import { launchTestDepartments, testStorage, type TestStorage } from '../helpers/platform.ts';
import { postgresUrl } from '../helpers/services.ts';

const CHANGES = `query($after: String, $first: Int) {
  assistanceChanges(after: $after, first: $first) { changes { cursor } endCursor hasMore }
}`;
const b64 = (text: string) => Buffer.from(text).toString('base64url');

function feedSuite(driver: string, databaseUrl: string | undefined) {
  describe(`change-feed cursors on ${driver}`, () => {
    let storage: TestStorage;
    let launched: LaunchedDepartments;
    let url: string;

    const feed = async (after: string | null, first = 200) => {
      const { body } = await subgraphGql(url, 'assistance', CHANGES, { after, first });
      return body;
    };
    const start = async () => {
      launched = await launchTestDepartments(storage, ['assistance']);
      url = launched.urls.assistance!;
    };
    const database = () => launched.departments[0]!.database.db as Kysely<unknown>;
    /** Every cursor the feed issues, read from the start to its end. */
    const readAll = async () => {
      const cursors: string[] = [];
      let after: string | null = null;
      for (;;) {
        const body = await feed(after);
        expect(body.errors).toBeUndefined();
        cursors.push(
          ...body.data.assistanceChanges.changes.map((c: { cursor: string }) => c.cursor),
        );
        after = body.data.assistanceChanges.endCursor;
        if (!body.data.assistanceChanges.hasMore) return { cursors, end: after! };
      }
    };

    beforeAll(async () => {
      storage = testStorage(databaseUrl);
      await start();
    });
    afterAll(async () => {
      await launched?.close();
      await storage?.cleanup();
    });

    it('refuses cursors the feed did not issue, naming after', async () => {
      const { cursors, end } = await readAll();
      expect(cursors.length).toBeGreaterThan(10);
      const otherKey = Buffer.alloc(32, 7);
      const [, position, mac] = /^change:(\d+):(.+)$/.exec(
        Buffer.from(cursors[3]!, 'base64url').toString(),
      )!;
      const forged = [
        b64('change:5'), // the old unsigned form
        b64(`change:${Number(position) + 1}:${mac}`), // another position, the same MAC
        b64(`change:${position}:${'A'.repeat(mac!.length)}`),
        encodeChangeCursor(otherKey, 5), // signed, but not with this department's key
        'not-a-cursor',
        `${cursors[3]}x`,
      ];
      for (const after of forged) {
        const body = await feed(after);
        expect(body.data?.assistanceChanges ?? null).toBeNull();
        expect(body.errors).toHaveLength(1);
        expect(body.errors[0].extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          argument: 'after',
        });
      }
      expect((await feed(b64('change:5'))).errors[0].message).toMatch(
        /earlier version of this feed/,
      );
      // What it did issue is accepted, from any position.
      expect((await feed(cursors[3]!)).errors).toBeUndefined();
      const atEnd = await feed(end);
      expect(atEnd.errors).toBeUndefined();
      expect(atEnd.data.assistanceChanges).toMatchObject({ changes: [], hasMore: false });
    });

    it('refuses a position beyond the feed head, even signed with its key', async () => {
      const key = await feedCursorKey(database());
      const { end } = await readAll();
      const head = Number(/^change:(\d+):/.exec(Buffer.from(end, 'base64url').toString())![1]);
      const body = await feed(encodeChangeCursor(key, head + 1));
      expect(body.data?.assistanceChanges ?? null).toBeNull();
      expect(body.errors[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'after',
      });
      expect(body.errors[0].message).toMatch(/beyond the end of this feed/);
      expect((await feed(encodeChangeCursor(key, head))).errors).toBeUndefined();
    });

    it("a department's own input errors echo no value either", async () => {
      const id = '440106199001011234';
      const { status, text, body } = await subgraphGql(url, 'assistance', CHANGES, {
        after: { id },
        first: id,
      });
      expect(status).toBe(400);
      expect(text).not.toContain(id);
      expect(body.errors.map((e: { extensions: { path: string } }) => e.extensions.path)).toEqual([
        'after',
        'first',
      ]);
    });

    it('keeps issued cursors valid across a restart: the same cursors, nothing skipped or repeated', async () => {
      const before = await readAll();
      await launched.close();
      await start();
      const after = await readAll();
      expect(after).toEqual(before);
      const middle = before.cursors[Math.floor(before.cursors.length / 2)]!;
      let rest: string[] = [];
      let cursor: string | null = middle;
      for (;;) {
        const body = await feed(cursor, 7);
        expect(body.errors).toBeUndefined();
        rest = [
          ...rest,
          ...body.data.assistanceChanges.changes.map((c: { cursor: string }) => c.cursor),
        ];
        cursor = body.data.assistanceChanges.endCursor;
        if (!body.data.assistanceChanges.hasMore) break;
      }
      expect(rest).toEqual(before.cursors.slice(before.cursors.indexOf(middle) + 1));
    });
  });
}

feedSuite('embedded SQLite', undefined);
if (postgresUrl) feedSuite('PostgreSQL', postgresUrl);
