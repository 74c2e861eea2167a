/** Resolvers of emergency management. Input is checked here; access decisions are not (runtime). */
import { badUserInput } from '../../schema/errors.ts';
import type { SubgraphContext } from '../runtime/definition.ts';
import { PREFECTURE_BY_CODE } from '../runtime/seed/guangdong.ts';
import { assertHouseholdNumber } from '../runtime/input.ts';
import { isIsoDay } from './dates.ts';
import type { DisasterLoaders, EventFilter } from './loaders.ts';
import type { DamageRecordRow, DisasterEventRow, ReliefPaymentRow } from './tables.ts';

type Context = SubgraphContext<DisasterLoaders>;

interface EventArgs {
  prefecture?: string | null;
  from?: string | null;
  to?: string | null;
  first?: number | null;
}

const DEFAULT_EVENTS = 20;
const MAX_EVENTS = 100;

/** Households one scope check takes (as many as one gateway request can name). */
const MAX_SCOPE_CHECK = 1000;

function dayArgument(value: string | null | undefined, argument: string): string | null {
  if (value === null || value === undefined) return null;
  if (!isIsoDay(value)) {
    throw badUserInput(`${argument} must be a calendar day written YYYY-MM-DD`, { argument });
  }
  return value;
}

function eventFilter(args: EventArgs): EventFilter {
  const prefecture = args.prefecture ?? null;
  if (prefecture !== null && !PREFECTURE_BY_CODE.has(prefecture)) {
    throw badUserInput(
      'prefecture must be the 6-digit code of a Guangdong prefecture, e.g. 440800',
      {
        argument: 'prefecture',
      },
    );
  }
  const from = dayArgument(args.from, 'from');
  const to = dayArgument(args.to, 'to');
  if (from !== null && to !== null && from > to) {
    throw badUserInput('from must not be after to', { argument: 'from' });
  }
  const first = args.first ?? DEFAULT_EVENTS;
  if (!Number.isInteger(first) || first < 1 || first > MAX_EVENTS) {
    throw badUserInput(`first must be between 1 and ${MAX_EVENTS}`, { argument: 'first' });
  }
  return { prefecture, from, to, first };
}

export const resolvers = {
  Query: {
    disasterEvents: (_: unknown, args: EventArgs, { loaders }: Context) =>
      loaders.listEvents(eventFilter(args)),
    // The gateway's scope check for purposes bounded to the damaged (catalogue subjectScope).
    householdsDamagedSince: (
      _: unknown,
      args: { households: string[]; since: string },
      { loaders }: Context,
    ) => {
      if (args.households.length > MAX_SCOPE_CHECK) {
        throw badUserInput(`households takes at most ${MAX_SCOPE_CHECK} ids`, {
          argument: 'households',
        });
      }
      const households = args.households.map((id) => assertHouseholdNumber(id, 'households'));
      return loaders.householdsDamagedSince(households, dayArgument(args.since, 'since')!);
    },
  },
  Household: {
    // The registry owns households: an unknown id simply has no disaster records here.
    __resolveReference: (ref: { id: string }) => ref,
    disasterDamage: (h: { id: string }, _: unknown, { loaders }: Context) =>
      loaders.damageByHousehold.load(h.id),
    reliefReceived: (h: { id: string }, _: unknown, { loaders }: Context) =>
      loaders.reliefByHousehold.load(h.id),
  },
  DisasterEvent: {
    __resolveReference: (ref: { id: string }, { loaders }: Context) => loaders.event.load(ref.id),
    prefectureName: (e: DisasterEventRow) => PREFECTURE_BY_CODE.get(e.prefecture)?.name ?? null,
    startedOn: (e: DisasterEventRow) => e.started_on,
    endedOn: (e: DisasterEventRow) => e.ended_on,
    responseLevel: (e: DisasterEventRow) => e.response_level,
  },
  DamageRecord: {
    event: (d: DamageRecordRow, _: unknown, { loaders }: Context) => loaders.event.load(d.event_id),
    estimatedLoss: (d: DamageRecordRow) => d.estimated_loss,
    houseDamaged: (d: DamageRecordRow) => d.house_damaged === 1,
    assessedOn: (d: DamageRecordRow) => d.assessed_on,
  },
  ReliefPayment: {
    event: (r: ReliefPaymentRow, _: unknown, { loaders }: Context) =>
      r.event_id === null ? null : loaders.event.load(r.event_id),
    paidOn: (r: ReliefPaymentRow) => r.paid_on,
  },
};
