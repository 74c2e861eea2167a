/** How the registry's answer turns usable consents into grants (gateway/access/registry.ts). */
import { describe, expect, it } from 'vitest';
import { confirmGrants } from '../../gateway/access/registry.ts';

const consent = {
  id: 'c1',
  household: 'H1',
  subjects: ['P1', 'P2', 'X9'],
  categories: ['identity'],
};

describe('confirmGrants', () => {
  it('covers only the signers the registry lists in the household, and rejects the others', () => {
    const { grants, rejected } = confirmGrants([consent], new Map([['H1', ['P1', 'P2', 'P3']]]));
    expect(grants).toEqual([{ ...consent, subjects: ['P1', 'P2'], members: ['P1', 'P2', 'P3'] }]);
    expect(rejected).toEqual([
      {
        id: 'c1',
        household: 'H1',
        subjects: ['X9'],
        code: 'CONSENT_INVALID',
        reason: 'not-a-member',
      },
    ]);
  });

  it('covers nobody for a household the registry does not list', () => {
    const { grants, rejected } = confirmGrants([consent], new Map());
    expect(grants).toEqual([]);
    expect(rejected).toMatchObject([{ code: 'CONSENT_INVALID', reason: 'unknown-household' }]);
  });

  it('covers nobody when the registry could not answer (fail closed)', () => {
    const { grants, rejected } = confirmGrants([consent], null);
    expect(grants).toEqual([]);
    expect(rejected).toMatchObject([
      {
        code: 'CONSENT_STATUS_UNAVAILABLE',
        reason: 'registry-unavailable',
        subjects: consent.subjects,
      },
    ]);
  });
});
