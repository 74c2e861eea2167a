import fc from 'fast-check';
import { Kind } from 'graphql';
import { generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import type { AccessContext, Classification, Subject } from '../../schema/access.ts';
import { AccessContextSigner, verifyAccessContext } from '../../schema/access-context.ts';
import { AccessReport } from '../../schema/access-report.ts';
import { CATALOGUE, SUBGRAPHS } from '../../schema/catalogue.ts';
import { classificationOfNode } from '../../schema/classified.ts';
import { departmentCategoryMap } from '../../schema/department-categories.ts';
import { PlatformError } from '../../schema/errors.ts';
import { Policy } from '../../schema/policy.ts';
import { AccessGuard } from '../../subgraphs/runtime/guard.ts';
import { loadSdl } from '../../subgraphs/runtime/sdl.ts';
import { accessFor } from '../helpers/access.ts';

const keys = await generateKeyPair('EdDSA');
const categoriesOf = departmentCategoryMap(CATALOGUE, loadSdl);
const signer = new AccessContextSigner(keys.privateKey, { departmentCategories: categoriesOf });
const policy = new Policy(CATALOGUE);
const query = '{ _entities(representations: $r) { __typename } }';
const names = SUBGRAPHS.map((s) => s.name);

/** What the department reads out of the context signed for it. */
const received = (access: AccessContext, subgraph: string): AccessContext => {
  const payload = signer.sign(access, subgraph, query, 'null').split('.')[1]!;
  return JSON.parse(Buffer.from(payload, 'base64url').toString()).ctx;
};

/** Every decision a department makes on consents: its classified fields and its unmasking. */
function decisionsOf(subgraph: string): { field: string; classification: Classification }[] {
  const out: { field: string; classification: Classification }[] = [];
  for (const def of loadSdl(subgraph).definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION)
      continue;
    for (const f of def.fields ?? []) {
      const field = `${def.name.value}.${f.name.value}`;
      const classification = classificationOfNode(f);
      if (classification) out.push({ field, classification });
      const mask = CATALOGUE.masking.find((m) => m.field === field);
      if (mask) {
        out.push({
          field,
          classification: { category: mask.unlessCategory, sharing: 'CONDITIONAL' },
        });
      }
    }
  }
  return out;
}

const people = ['440103199001011111', '440103199202022222', '440105198503033333'];
const households = ['H000001', 'H000002'];
const categories = Object.keys(CATALOGUE.categories);
const grantArb = fc.record({
  id: fc.string({ minLength: 1, maxLength: 6 }),
  household: fc.constantFrom(...households),
  subjects: fc.subarray(people, { minLength: 1 }),
  categories: fc.subarray(categories, { minLength: 1 }),
});
const accessArb = fc
  .record({
    purpose: fc.option(fc.constantFrom(...Object.keys(CATALOGUE.purposes)), { nil: undefined }),
    grants: fc.array(grantArb, { maxLength: 3 }),
    rejected: fc.array(
      fc.record({
        id: fc.constant('r1'),
        household: fc.constantFrom(...households),
        subjects: fc.subarray(people, { minLength: 1 }),
        code: fc.constantFrom('CONSENT_REVOKED', 'CONSENT_EXPIRED'),
      }),
      { maxLength: 1 },
    ),
  })
  .map((a) => accessFor(a as Partial<AccessContext>));
const subjectArb: fc.Arbitrary<Subject> = fc.oneof(
  fc.constantFrom(...people).map((id) => ({ kind: 'person' as const, id })),
  fc.constantFrom(...households).map((id) => ({ kind: 'household' as const, id })),
  fc.constant(null),
);

describe("each department's consent categories", () => {
  it('are the categories of its own fields', () => {
    expect([...categoriesOf.get('medical')!].sort()).toEqual([
      'health',
      'identity',
      'medical-expense',
      'medical-insurance',
    ]);
    expect(categoriesOf.get('housing')).not.toContain('medical-expense');
    expect(categoriesOf.get('household')).toContain('identity');
    expect([...categoriesOf.keys()].sort()).toEqual([...names].sort());
  });

  it('is all a department is told of each consent; a consent outside them stays listed, empty', async () => {
    const access = accessFor({
      purpose: 'dibao',
      grants: [
        {
          id: 'c1',
          household: 'H000001',
          subjects: [people[0]!],
          categories: CATALOGUE.purposes.dibao!.categories,
        },
        { id: 'c2', household: 'H000002', subjects: [people[2]!], categories: ['property'] },
      ],
      rejected: [
        { id: 'c3', household: 'H000002', subjects: [people[1]!], code: 'CONSENT_REVOKED' },
      ] as AccessContext['rejected'],
    });
    const token = signer.sign(access, 'medical', query, 'null');
    const { access: medical } = await verifyAccessContext(
      token,
      'medical',
      { query, variables: null },
      keys.publicKey,
    );
    expect(medical.grants.map((g) => [g.id, g.categories.sort()])).toEqual([
      ['c1', ['identity', 'medical-expense', 'medical-insurance']],
      ['c2', []],
    ]);
    expect(medical.grants[0]!.subjects).toEqual([people[0]]);
    expect(medical.rejected).toEqual(access.rejected);
    expect(received(access, 'housing').grants[1]!.categories).toEqual(['property']);
    // The gateway's own context is untouched.
    expect(access.grants[1]!.categories).toEqual(['property']);
  });

  it('decide every consent-based question of the department as the whole context would (property)', () => {
    fc.assert(
      fc.property(accessArb, fc.constantFrom(...names), subjectArb, (access, subgraph, subject) => {
        const told = received(access, subgraph);
        for (const { field, classification } of decisionsOf(subgraph)) {
          expect(policy.decide(told, field, classification, subject)).toEqual(
            policy.decide(access, field, classification, subject),
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it("stop a department's resolver from checking a category it was not told", () => {
    const access = accessFor({ purpose: 'dibao' });
    const guard = new AccessGuard(policy, access, new AccessReport(), categoriesOf.get('housing'));
    const subject = { kind: 'household' as const, id: 'H000001' };
    expect(() => guard.require('medical-expense', subject, 'Household.x')).toThrow(
      /not a category this department classifies/,
    );
    expect(() => guard.canRead('medical-expense', subject, 'Household.x')).toThrow(
      /not a category this department classifies/,
    );
    // Its own category is decided as usual: here refused for want of a consent.
    expect(() => guard.require('property', subject, 'Household.x')).toThrow(PlatformError);
    expect(guard.canRead('property', subject, 'Household.x')).toBe(false);
  });
});
