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
    const writer = new GroupCommitWriter({
      append: () => (fail ? Promise.reject(new Error('disk full')) : Promise.resolve()),
    });
    const results = await Promise.allSettled([
      writer.write(record('a')),
      writer.write(record('b')),
    ]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(AuditUnavailableError);
    }
    fail = false;
    await expect(writer.write(record('c'))).resolves.toBeUndefined();
    await writer.flush();
  });
});
