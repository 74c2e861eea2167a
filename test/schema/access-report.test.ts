import { describe, expect, it } from 'vitest';
import { AccessReport, type GroupedAccessReportJson } from '../../schema/access-report.ts';

const person = (id: string) => ({ kind: 'person' as const, id });
const household = (id: string) => ({ kind: 'household' as const, id });

/** A department's report: three people shown the same fields, one more, a household, a denial. */
function departmentReport(): AccessReport {
  const report = new AccessReport();
  for (const id of ['110101199001010011', '110101199001010022', '110101199001010033']) {
    report.touch(person(id), 'Person.employment');
    report.touch(person(id), 'EmploymentRecord.status', 'employment');
  }
  report.touch(person('110101199001010044'), 'Person.socialInsurance', 'social-insurance');
  report.touch(household('H000001'), 'Household.zeroEmployment');
  report.deny(person('110101199001010044'), 'SocialInsurance.monthlyPension', 'CONSENT_REQUIRED');
  return report;
}

const merged = (...reports: unknown[]) => {
  const into = new AccessReport();
  for (const r of reports) into.merge(JSON.parse(JSON.stringify(r)));
  return into.toJSON();
};

describe('access report on the wire', () => {
  it('lists each distinct field list once in the grouped form', () => {
    const grouped = departmentReport().toGroupedJSON();
    expect(grouped.touchedGroups).toEqual([
      {
        fields: ['EmploymentRecord.status', 'Person.employment'],
        subjects: [
          'person:110101199001010011',
          'person:110101199001010022',
          'person:110101199001010033',
        ],
      },
      { fields: ['Person.socialInsurance'], subjects: ['person:110101199001010044'] },
      { fields: ['Household.zeroEmployment'], subjects: ['household:H000001'] },
    ]);
    expect(grouped.categoryGroups).toEqual([
      {
        categories: ['employment'],
        subjects: [
          'person:110101199001010011',
          'person:110101199001010022',
          'person:110101199001010033',
        ],
      },
      { categories: ['social-insurance'], subjects: ['person:110101199001010044'] },
    ]);
    expect(grouped).not.toHaveProperty('touched');
  });

  it('reads back to the same record in either form', () => {
    const report = departmentReport();
    expect(merged(report.toGroupedJSON())).toEqual(report.toJSON());
    expect(merged(report.toJSON())).toEqual(report.toJSON());
    expect(report.toWire('grouped')).toEqual(report.toGroupedJSON());
    expect(report.toWire('subjects')).toEqual(report.toJSON());
  });

  it('merges departments answering in different forms subject by subject', () => {
    const medical = new AccessReport();
    medical.touch(person('110101199001010011'), 'Person.medicalInsurance', 'medical');
    const record = merged(departmentReport().toGroupedJSON(), medical.toJSON());
    expect(record.touched['person:110101199001010011']).toEqual([
      'EmploymentRecord.status',
      'Person.employment',
      'Person.medicalInsurance',
    ]);
    expect(record.categories['person:110101199001010011']).toEqual(['employment', 'medical']);
    expect(record.denied).toEqual([
      {
        field: 'SocialInsurance.monthlyPension',
        subject: 'person:110101199001010044',
        code: 'CONSENT_REQUIRED',
      },
    ]);
  });

  it('keeps only well-formed entries of a malformed grouped report, and never throws', () => {
    const hostile = {
      touchedGroups: [
        null,
        42,
        'person:1',
        { fields: 'Person.name', subjects: ['person:1'] },
        { fields: ['Person.name'], subjects: 'person:1' },
        { fields: ['Person.name', 7, null], subjects: ['person:2', { id: 3 }, 4] },
        { subjects: ['person:5'] },
      ],
      categoryGroups: { categories: ['medical'], subjects: ['person:2'] },
      denied: [{ field: 'Person.income', code: 'PURPOSE_NOT_ALLOWED', subject: 9 }, 'x'],
    } as unknown as GroupedAccessReportJson;
    const report = new AccessReport();
    expect(() => report.merge(hostile)).not.toThrow();
    expect(report.toJSON()).toEqual({
      touched: { 'person:2': ['Person.name'] },
      categories: {},
      denied: [{ field: 'Person.income', subject: null, code: 'PURPOSE_NOT_ALLOWED' }],
    });
    for (const junk of [null, 'report', 42, [], { touched: 'x', categories: [1] }]) {
      const empty = new AccessReport();
      expect(() => empty.merge(junk)).not.toThrow();
      expect(empty.empty).toBe(true);
    }
  });
});
