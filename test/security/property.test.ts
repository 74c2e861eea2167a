/**
 * Property-based: random departments, purposes, consents and selections of guarded fields, sent
 * through the running gateway, never return a value the catalogue denies (checked against an
 * independent reading of the catalogue), and never mask a value it allows.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildASTSchema, parse } from 'graphql';
import type { AccessContext, Subject } from '../../schema/access.ts';
import { CATALOGUE } from '../../schema/catalogue.ts';
import { readSupergraph } from '../../schema/compose.ts';
import { classificationOf } from '../../subgraphs/runtime/field-policy.ts';
import type { RunningPlatform } from '../../gateway/platform.ts';
import { consentFor, headersFor } from '../helpers/callers.ts';
import { catalogueAllows } from '../helpers/oracle.ts';
import { gql, startTestPlatform, testStorage, type TestStorage } from '../helpers/platform.ts';

/** Scalar-or-object guarded fields, with a selection that reaches a value. */
const PERSON_FIELDS: Record<string, string> = {
  name: 'name',
  birthDate: 'birthDate',
  ethnicity: 'ethnicity',
  properties: 'properties { area }',
  providentFund: 'providentFund { balance }',
  medicalInsurance: 'medicalInsurance { scheme }',
  medicalExpenses: 'medicalExpenses(months: 12) { total }',
  criticalIllness: 'criticalIllness',
  employment: 'employment { status }',
  socialInsurance: 'socialInsurance { pensionScheme }',
  assistanceStatus: 'assistanceStatus { activePrograms }',
};
const HOUSEHOLD_FIELDS: Record<string, string> = {
  address: 'address',
  hukouType: 'hukouType',
  housingSupport: 'housingSupport { kind }',
  disasterDamage: 'disasterDamage { severity }',
  determinations: 'determinations { program }',
  zeroEmployment: 'zeroEmployment',
};

const supergraph = buildASTSchema(parse(readSupergraph()), { assumeValidSDL: true });
function classification(typeName: string, field: string) {
  const type = supergraph.getType(typeName) as unknown as { getFields(): Record<string, never> };
  return classificationOf(type.getFields()[field]!)!;
}

const departments = Object.entries(CATALOGUE.departments)
  .filter(([, d]) => d.kind === 'department')
  .map(([code]) => code);

describe('no value the catalogue denies ever leaves (property, through the gateway)', () => {
  let storage: TestStorage;
  let platform: RunningPlatform;
  let household: string;
  let members: string[];

  beforeAll(async () => {
    storage = testStorage();
    platform = await startTestPlatform(storage);
    household = platform.sample!.household;
    members = platform.sample!.members;
  });
  afterAll(async () => {
    await platform?.close();
    await storage?.cleanup();
  });

  it('holds for random callers, consents and queries', async () => {
    const scenario = fc.record({
      dept: fc.constantFrom(...departments),
      purposeIndex: fc.nat(),
      consent: fc.option(
        fc.record({
          subjects: fc.subarray(members, { minLength: 1 }),
          categories: fc.subarray(Object.keys(CATALOGUE.categories), { minLength: 1 }),
          grantee: fc.constantFrom('own', 'other'),
          samePurpose: fc.boolean(),
        }),
        { nil: undefined },
      ),
      personFields: fc.subarray(Object.keys(PERSON_FIELDS), { minLength: 1 }),
      householdFields: fc.subarray(Object.keys(HOUSEHOLD_FIELDS)),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const allowed = CATALOGUE.departments[s.dept]!.purposes;
        const purpose = allowed[s.purposeIndex % allowed.length]!;
        const consentPurpose =
          s.consent?.samePurpose === false ? (purpose === 'dibao' ? 'tekun' : 'dibao') : purpose;
        const tokens = s.consent
          ? [
              await consentFor(storage.dataDir, {
                household,
                subjects: s.consent.subjects,
                grantees: [
                  s.consent.grantee === 'own'
                    ? s.dept
                    : s.dept === 'housing'
                      ? 'education'
                      : 'housing',
                ],
                purpose: consentPurpose,
                categories: s.consent.categories,
              }),
            ]
          : [];
        const reason = CATALOGUE.purposes[purpose]!.reasonRequired
          ? 'Checking on residents after a flood'
          : undefined;
        const headers = await headersFor(storage.dataDir, {
          dept: s.dept,
          purpose,
          consents: tokens,
          ...(reason ? { reason } : {}),
        });
        const query = `query($id: ID!, $p: ID!) {
          person(id: $p) { id ${s.personFields.map((f) => PERSON_FIELDS[f]).join(' ')} }
          household(id: $id) { id ${s.householdFields.map((f) => HOUSEHOLD_FIELDS[f]).join(' ')} }
        }`;
        const { body } = await gql(
          platform.gateway.url,
          query,
          { id: household, p: members[0] },
          headers,
        );
        // The oracle sees the consent only if the gateway should accept it.
        const usable = s.consent && s.consent.grantee === 'own' && consentPurpose === purpose;
        const access: AccessContext = {
          requestId: 'oracle',
          caller: { sub: 'x', dept: s.dept, kind: 'department', roles: [] },
          purpose,
          grants: usable
            ? [
                {
                  id: 'c',
                  household,
                  subjects: s.consent!.subjects,
                  categories: s.consent!.categories,
                },
              ]
            : [],
          rejected: [],
          consentStatus: 'ok',
        };
        const check = (
          typeName: 'Person' | 'Household',
          field: string,
          value: unknown,
          subject: Subject,
        ) => {
          const { sharing, category } = classification(typeName, field);
          const full = catalogueAllows(
            access,
            sharing === 'OPEN' ? 'CONDITIONAL' : sharing,
            category,
            subject,
          );
          const visible = catalogueAllows(access, sharing, category, subject);
          if (!visible) expect(value, `${typeName}.${field} for ${s.dept}/${purpose}`).toBeNull();
          const mask = CATALOGUE.masking.find((m) => m.field === `${typeName}.${field}`);
          if (mask && typeof value === 'string')
            expect(value.includes('*'), `${typeName}.${field} masked`).toBe(!full);
        };
        for (const f of s.personFields)
          check('Person', f, body.data.person?.[f] ?? null, { kind: 'person', id: members[0]! });
        for (const f of s.householdFields)
          check('Household', f, body.data.household?.[f] ?? null, {
            kind: 'household',
            id: household,
          });
      }),
      { numRuns: 60 },
    );
  });
});
