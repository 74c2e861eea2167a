/** The citizen's own access history, and the auditors' view of the log. */
import { CATALOGUE } from '../../schema/catalogue.ts';
import { badUserInput } from '../../schema/errors.ts';
import type {
  AuditQueries,
  CitizenAccess,
  RecordFilter,
  StoredAccess,
  Verdict,
} from '../audit/audit-queries.ts';
import type { GatewayContext } from '../context.ts';

type PageArgs = { first?: number | null; before?: string | null };

export function auditResolvers(queries: AuditQueries | null) {
  const log = () => {
    if (!queries) throw badUserInput('This gateway keeps no access log');
    return queries;
  };
  /** A page's verdicts in one query (not one per record). */
  const withVerdicts = async (records: StoredAccess[]) => {
    const verdicts = await log().verdicts(records.filter((r) => r.review).map((r) => r.seq));
    return records.map((r) => ({ ...r, verdict: verdicts.get(r.seq) ?? null }));
  };
  return {
    Query: {
      myDataAccess: async (_: unknown, args: PageArgs, { access }: GatewayContext) => {
        // The caller's own identity number: a citizen token's subject, never an argument.
        const page = await log().forPerson(access.caller.sub, args.first, args.before);
        return { entries: page.items, endCursor: page.endCursor };
      },
      accessRecords: async (_: unknown, args: PageArgs & { filter?: RecordFilter | null }) => {
        const page = await log().search(args.filter ?? {}, args.first, args.before);
        return { records: await withVerdicts(page.items), endCursor: page.endCursor };
      },
      accessLogIntegrity: async () => {
        const result = await log().verify();
        return result.ok
          ? { intact: true, checked: result.checked, brokenAt: null, reason: null }
          : {
              intact: false,
              checked: result.checked,
              brokenAt: String(result.brokenAt),
              reason: result.reason,
            };
      },
      emergencyAccesses: async (_: unknown, args: PageArgs & { pending?: boolean | null }) => {
        const page = await log().emergencies(args.pending ?? true, args.first, args.before);
        return { records: await withVerdicts(page.items), endCursor: page.endCursor };
      },
    },
    Mutation: {
      reviewEmergencyAccess: (
        _: unknown,
        args: { seq: string; verdict: Verdict['verdict']; note: string },
        { access }: GatewayContext,
      ) => {
        if (!/^\d{1,15}$/.test(args.seq))
          throw badUserInput('seq must be a record number', { argument: 'seq' });
        return log().review(
          Number(args.seq),
          args.verdict,
          args.note,
          `${access.caller.dept}/${access.caller.sub}`,
        );
      },
    },
    DataAccess: {
      at: (e: CitizenAccess) => e.record.at,
      department: (e: CitizenAccess) => e.record.dept,
      departmentName: (e: CitizenAccess) =>
        CATALOGUE.departments[e.record.dept ?? '']?.title ?? null,
      purpose: (e: CitizenAccess) => e.record.purpose,
      purposeTitle: (e: CitizenAccess) => CATALOGUE.purposes[e.record.purpose ?? '']?.title ?? null,
      caseId: (e: CitizenAccess) => e.record.caseId,
      emergencyReason: (e: CitizenAccess) => (e.record.review ? e.record.reason : null),
    },
    AccessRecord: {
      seq: (r: StoredAccess) => String(r.seq),
      department: (r: StoredAccess) => r.dept,
      subjects: (r: StoredAccess) =>
        Object.entries(r.subjects).map(([subject, fields]) => ({ subject, fields })),
      review: (r: StoredAccess & { verdict?: Verdict | null }) => r.verdict ?? null,
    },
    EmergencyReview: {
      seq: (v: Verdict) => String(v.seq),
    },
  };
}
