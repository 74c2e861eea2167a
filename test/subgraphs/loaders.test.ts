import { describe, expect, it } from 'vitest';
import { LoadsInFlight, groupLoader, optionalRowLoader } from '../../subgraphs/runtime/loaders.ts';

/** A query answered after `turns` turns of the event loop, like a PostgreSQL round trip. */
function answerLater<T>(turns: number, value: T): Promise<T> {
  return new Promise((resolve) => {
    const step = (left: number) =>
      left === 0 ? resolve(value) : setImmediate(() => step(left - 1));
    step(turns);
  });
}

describe('department loaders', () => {
  it('loads what two parallel loaders refer to in one batch, though their answers arrive in different turns', async () => {
    const batches: string[][] = [];
    const householdLoads = new LoadsInFlight();
    const event = optionalRowLoader(
      async (ids) => {
        batches.push([...ids]);
        return ids.map((id) => ({ id }));
      },
      (row) => row.id,
      householdLoads,
    );
    const damage = groupLoader(
      (ids) =>
        householdLoads.track(
          answerLater(
            1,
            ids.map((h) => ({ h, event: 'E1' })),
          ),
        ),
      (row) => row.h,
    );
    const relief = groupLoader(
      (ids) =>
        householdLoads.track(
          answerLater(
            5,
            ids.map((h) => ({ h, event: 'E2' })),
          ),
        ),
      (row) => row.h,
    );
    const eventsOf = async (rows: Promise<{ event: string }[]>) =>
      Promise.all((await rows).map((r) => event.load(r.event)));
    const [fromDamage, fromRelief] = await Promise.all([
      eventsOf(damage.load('H1')),
      eventsOf(relief.load('H1')),
    ]);
    expect(fromDamage).toEqual([{ id: 'E1' }]);
    expect(fromRelief).toEqual([{ id: 'E2' }]);
    expect(batches).toEqual([['E1', 'E2']]);
  });

  it('does not hold a batch when nothing is in flight, nor after a load it waits for fails', async () => {
    const batches: string[][] = [];
    const loads = new LoadsInFlight();
    const event = optionalRowLoader(
      async (ids) => {
        batches.push([...ids]);
        return [];
      },
      (row: { id: string }) => row.id,
      loads,
    );
    await expect(event.load('E1')).resolves.toBeNull();
    const failing = loads.track(Promise.reject(new Error('connection lost')));
    await expect(Promise.all([event.load('E2'), failing])).rejects.toThrow('connection lost');
    await expect(event.load('E2')).resolves.toBeNull();
    expect(batches).toEqual([['E1'], ['E2']]);
  });
});
