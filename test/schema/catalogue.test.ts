import { describe, expect, it } from 'vitest';
import { CATALOGUE, CatalogueError, parseCatalogue } from '../../schema/catalogue.ts';

const clone = () => JSON.parse(JSON.stringify(CATALOGUE));

function problemsOf(mutate: (doc: any) => void): string[] {
  const doc = clone();
  mutate(doc);
  try {
    parseCatalogue(doc);
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogueError);
    return (error as CatalogueError).problems;
  }
  return [];
}

describe('sharing catalogue validation', () => {
  it('accepts the committed catalogue with content for every department and purpose DESIGN names', () => {
    expect(() => parseCatalogue(clone())).not.toThrow();
    for (const dept of [
      'civil-affairs',
      'public-security',
      'housing',
      'healthcare-security',
      'hr-social-security',
      'emergency-management',
      'education',
    ]) {
      expect(CATALOGUE.departments[dept]?.kind).toBe('department');
    }
    for (const purpose of [
      'dibao',
      'tekun',
      'low-income',
      'expenditure-poverty',
      'medical-assistance',
      'education-assistance',
      'housing-assistance',
      'employment-assistance',
      'temporary-assistance',
      'disaster-relief',
      'periodic-review',
      'emergency',
      'statistics',
    ]) {
      expect(CATALOGUE.purposes[purpose]).toBeDefined();
    }
    expect(CATALOGUE.purposes.emergency).toMatchObject({
      consentRequired: false,
      reasonRequired: true,
      review: true,
    });
  });

  it('names the bad entry', () => {
    expect(problemsOf((d) => d.purposes.dibao.categories.push('horoscope'))).toEqual([
      'purposes.dibao: unknown category "horoscope"',
    ]);
    expect(problemsOf((d) => d.departments.housing.purposes.push('fishing'))).toEqual([
      'departments.housing: unknown purpose "fishing"',
    ]);
    expect(problemsOf((d) => (d.subgraphs[1].port = d.subgraphs[0].port))).toEqual([
      `subgraphs[1] (housing): port 4001 is used twice`,
    ]);
    expect(problemsOf((d) => (d.masking[0].rule = 'blur'))).toEqual([
      'masking[0]: rule must be one of name, address, identity-number',
    ]);
    expect(problemsOf((d) => delete d.purposes.tekun.consentRequired)).toEqual([
      'purposes.tekun: consentRequired must be true or false',
    ]);
    expect(problemsOf((d) => (d.subgraphs[0].department = 'nobody'))).toEqual([
      'subgraphs[0] (household): department "nobody" is not in departments',
    ]);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf((d) => {
      d.version = 2;
      d.departments.education.kind = 'school';
      d.categories.health.sensitivity = 'secret';
    });
    expect(problems).toHaveLength(3);
  });
});
