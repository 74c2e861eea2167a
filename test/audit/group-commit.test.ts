import { describe, expect, it } from 'vitest';
import type { AccessRecord } from '../../gateway/audit/access-record.ts';
import { AuditUnavailableError, GroupCommitWriter } from '../../gateway/audit/group-commit.ts';

const record = (requestId: string) => ({ requestId }) as AccessRecord;

describe('group commit', () => {
  it('commits the records handed in during one turn together, even to a synchronous writer', async () => {
    const groups: string[][] = [];
    const writer = new GroupCommitWriter({
      // Like the embedded log: the whole append runs synchronously.
      append: (records) => {
        groups.push(records.map((r) => r.requestId));
        return Promise.resolve();
      },
    });
    await Promise.all(['a', 'b', 'c'].map((id) => writer.write(record(id))));
    await writer.write(record('d'));
    expect(groups).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('queues what arrives during a slow commit for the next one', async () => {
    const groups: string[][] = [];
    let release!: () => void;
    const writer = new GroupCommitWriter({
      append: async (records) => {
        groups.push(records.map((r) => r.requestId));
        if (groups.length === 1) await new Promise<void>((resolve) => (release = resolve));
      },
    });
    const first = writer.write(record('a'));
    await new Promise((resolve) => setImmediate(resolve));
    const later = [writer.write(record('b')), writer.write(record('c'))];
    release();
    await Promise.all([first, ...later]);
    expect(groups).toEqual([['a'], ['b', 'c']]);
  });

  it('fails every record of a group that could not be written, and recovers', async () => {
    let fail = true;
    const failures: [unknown, number][] = [];
    const cause = new Error('disk full');
    const writer = new GroupCommitWriter({
      append: () => (fail ? Promise.reject(cause) : Promise.resolve()),
      onFailure: (error, size) => failures.push([error, size]),
    });
    const results = await Promise.allSettled([
      writer.write(record('a')),
      writer.write(record('b')),
    ]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(AuditUnavailableError);
    }
    // The operators learn why, once per group; the requests only that the log is unavailable.
    expect(failures).toEqual([[cause, 2]]);
    fail = false;
    await expect(writer.write(record('c'))).resolves.toBeUndefined();
    await writer.flush();
  });

  describe('commit delay', () => {
    // A delay no test could sit out (the test timeout is shorter): a group that waited for it
    // instead of ending the wait early would fail the test.
    const FOREVER = 600_000;

    function recordingWriter(commitDelayMs: number, maxGroup?: number) {
      const groups: string[][] = [];
      const writer = new GroupCommitWriter({
        append: (records) => {
          groups.push(records.map((r) => r.requestId));
          return Promise.resolve();
        },
        commitDelayMs,
        ...(maxGroup ? { maxGroup } : {}),
      });
      return { groups, writer };
    }

    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

    it('waits for the requests still running and commits once the last has handed in', async () => {
      const { groups, writer } = recordingWriter(FOREVER);
      const [a, b, c] = [writer.reserve(), writer.reserve(), writer.reserve()];
      const first = a.write(record('a'));
      await nextTurn();
      await nextTurn();
      const second = b.write(record('b'));
      await nextTurn();
      await Promise.all([first, second, c.write(record('c'))]);
      expect(groups).toEqual([['a', 'b', 'c']]);
    });

    it('never delays a request that is alone', async () => {
      const { groups, writer } = recordingWriter(FOREVER);
      await writer.reserve().write(record('alone'));
      expect(groups).toEqual([['alone']]);
    });

    it('stops waiting for a request that ends without a record', async () => {
      const { groups, writer } = recordingWriter(FOREVER);
      const [a, b] = [writer.reserve(), writer.reserve()];
      const written = a.write(record('a'));
      await nextTurn();
      b.release();
      b.release(); // idempotent: the count of running requests stays right
      await written;
      await writer.reserve().write(record('c'));
      expect(groups).toEqual([['a'], ['c']]);
    });

    it('waits no longer than the delay for a request that is still running', async () => {
      const { groups, writer } = recordingWriter(5);
      const [a, slow] = [writer.reserve(), writer.reserve()];
      await a.write(record('a'));
      expect(groups).toEqual([['a']]);
      await slow.write(record('slow'));
      expect(groups).toEqual([['a'], ['slow']]);
    });

    it('commits at once when the group is full', async () => {
      const { groups, writer } = recordingWriter(FOREVER, 2);
      const slots = [writer.reserve(), writer.reserve(), writer.reserve()];
      const first = slots[0]!.write(record('a'));
      await nextTurn();
      await nextTurn(); // the group is waiting for the other two now
      await Promise.all([first, slots[1]!.write(record('b'))]);
      expect(groups).toEqual([['a', 'b']]);
      slots[2]!.release();
    });

    it('is cut short by a flush (shutdown)', async () => {
      const { groups, writer } = recordingWriter(FOREVER);
      const [a, running] = [writer.reserve(), writer.reserve()];
      const written = a.write(record('a'));
      await nextTurn();
      await writer.flush();
      await written;
      expect(groups).toEqual([['a']]);
      running.release();
    });
  });
});
