import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccessContext, Sharing, Subject } from '../../schema/access.ts';
import { CATALOGUE } from '../../schema/catalogue.ts';
import { ErrorCode } from '../../schema/errors.ts';
import { Policy } from '../../schema/policy.ts';
import { catalogueAllows } from '../helpers/oracle.ts';

const policy = new Policy(CATALOGUE);
const departments = [...Object.keys(CATALOGUE.departments), 'tax-bureau'];
const purposes = [...Object.keys(CATALOGUE.purposes), 'fishing'];
const categories = Object.keys(CATALOGUE.categories);
const roles = [...new Set(Object.values(CATALOGUE.functions).map((f) => f.role)), 'caseworker'];
const people = ['440103199001011111', '440103199202022222', '440105198503033333'];
const households = ['440103000000001', '440105000000002'];

const grantArb = fc.record({
  id: fc.string({ minLength: 1, maxLength: 6 }),
  household: fc.constantFrom(...households),
  subjects: fc.subarray(people, { minLength: 1 }),
  categories: fc.subarray(categories, { minLength: 1 }),
});

const accessArb: fc.Arbitrary<AccessContext> = fc.record({
  requestId: fc.constant('r'),
  caller: fc
    .constantFrom(...departments)
    .map((dept) => ({
      sub: 'client',
      dept,
      kind: CATALOGUE.departments[dept]?.kind ?? 'department',
    }))
    .chain((caller) => fc.subarray(roles).map((r) => ({ ...caller, roles: r }))),
  purpose: fc.option(fc.constantFrom(...purposes), { nil: undefined }),
  grants: fc.array(grantArb, { maxLength: 3 }),
  rejected: fc.constant([]),
  consentStatus: fc.constantFrom('ok' as const, 'ok' as const, 'unavailable' as const),
});

const subjectArb: fc.Arbitrary<Subject> = fc.oneof(
  fc.constantFrom(...people).map((id) => ({ kind: 'person' as const, id })),
  fc.constantFrom(...households).map((id) => ({ kind: 'household' as const, id })),
  fc.constant(null),
);

describe('field policy', () => {
  it('never allows what the catalogue denies, and never masks away what it allows (property)', () => {
    fc.assert(
      fc.property(
        accessArb,
        fc.constantFrom<Sharing>('OPEN', 'CONDITIONAL', 'AGGREGATE', 'FUNCTION'),
        fc.constantFrom(...categories, ...Object.keys(CATALOGUE.functions)),
        subjectArb,
        (access, sharing, category, subject) => {
          const decision = policy.decide(
            access,
            'Person.birthDate',
            { category, sharing },
            subject,
          );
          expect(decision.allow).toBe(catalogueAllows(access, sharing, category, subject));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('masks an OPEN masked field unless the caller could read its category for the subject', () => {
    fc.assert(
      fc.property(accessArb, subjectArb, (access, subject) => {
        const decision = policy.decide(
          access,
          'Person.name',
          { category: 'identity', sharing: 'OPEN' },
          subject,
        );
        if (!decision.allow) return;
        const full = catalogueAllows(access, 'CONDITIONAL', 'identity', subject);
        expect(decision.mask).toBe(full ? undefined : 'name');
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the specific code of a rejected consent for its subjects', () => {
    const access: AccessContext = {
      requestId: 'r',
      caller: { sub: 'c', dept: 'civil-affairs', kind: 'department', roles: [] },
      purpose: 'dibao',
      grants: [],
      rejected: [
        {
          id: 'c1',
          household: households[0]!,
          subjects: [people[0]!],
          code: ErrorCode.CONSENT_REVOKED,
        },
      ],
      consentStatus: 'ok',
    };
    const onPerson = policy.decide(
      access,
      'Person.birthDate',
      { category: 'identity', sharing: 'CONDITIONAL' },
      { kind: 'person', id: people[0]! },
    );
    expect(onPerson).toMatchObject({ allow: false, code: 'CONSENT_REVOKED' });
    const other = policy.decide(
      access,
      'Person.birthDate',
      { category: 'identity', sharing: 'CONDITIONAL' },
      { kind: 'person', id: people[1]! },
    );
    expect(other).toMatchObject({ allow: false, code: 'CONSENT_REQUIRED' });
  });

  it('fails closed when revocation status is unavailable', () => {
    const access: AccessContext = {
      requestId: 'r',
      caller: { sub: 'c', dept: 'civil-affairs', kind: 'department', roles: [] },
      purpose: 'dibao',
      grants: [{ id: 'c1', household: households[0]!, subjects: people, categories }],
      rejected: [],
      consentStatus: 'unavailable',
    };
    const decision = policy.decide(
      access,
      'Person.birthDate',
      { category: 'identity', sharing: 'CONDITIONAL' },
      { kind: 'person', id: people[0]! },
    );
    expect(decision).toMatchObject({ allow: false, code: 'CONSENT_STATUS_UNAVAILABLE' });
  });

  it('decides from the grants the gateway confirmed, even after deciding without them', () => {
    const access: AccessContext = {
      requestId: 'r',
      caller: { sub: 'c', dept: 'civil-affairs', kind: 'department', roles: [] },
      purpose: 'dibao',
      grants: [],
      rejected: [],
      consentStatus: 'ok',
    };
    const decide = () =>
      policy.decide(
        access,
        'Person.birthDate',
        { category: 'identity', sharing: 'CONDITIONAL' },
        { kind: 'person', id: people[0]! },
      );
    expect(decide()).toMatchObject({ allow: false, code: 'CONSENT_REQUIRED' });
    // The registry's confirmation replaces the lists (subject-checks-plugin.ts).
    access.grants = [{ id: 'c1', household: households[0]!, subjects: [people[0]!], categories }];
    expect(decide()).toEqual({ allow: true });
    access.grants = [];
    access.rejected = [
      {
        id: 'c1',
        household: households[0]!,
        subjects: [people[0]!],
        code: ErrorCode.CONSENT_INVALID,
        reason: 'not-a-member',
      },
    ];
    expect(decide()).toMatchObject({ allow: false, code: 'CONSENT_INVALID' });
    expect((decide() as { message: string }).message).toMatch(/registry does not list them/);
  });
});
