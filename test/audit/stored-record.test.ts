import { describe, expect, it } from 'vitest';
import type { AccessRecord, GroupedAccessRecord } from '../../gateway/audit/access-record.ts';
import type { Subject } from '../../schema/access.ts';
import { AccessReport } from '../../schema/access-report.ts';
import { decodeRecord, encodeRecord } from '../../gateway/audit/stored-record.ts';
import { accessRecord } from '../helpers/access-record.ts';

const record = (subjects: AccessRecord['subjects']): AccessRecord =>
  accessRecord({
    consentIds: ['consent-1'],
    operation: 'BatchReview',
    subjects,
    categories: { 'household:440103100000001': ['assistance'] },
    denied: [{ field: 'Person.medicalExpenses', subject: 'person:2', code: 'CONSENT_REQUIRED' }],
    errorCodes: ['CONSENT_REQUIRED'],
    outcome: 'denied',
  });

const PERSON = ['Person.id', 'Person.name'];
const HOUSEHOLD = ['Household.address', 'Household.id'];

describe('stored access records', () => {
  it('lists the subjects shown the same fields once per field list, and reads them back', () => {
    const original = record({
      'person:1': PERSON,
      'household:440103100000001': HOUSEHOLD,
      'person:2': PERSON,
      'person:3': ['Person.id'],
    });
    const { text, groups } = encodeRecord(original);
    expect(groups).toEqual([
      { fields: PERSON, subjects: ['person:1', 'person:2'] },
      { fields: HOUSEHOLD, subjects: ['household:440103100000001'] },
      { fields: ['Person.id'], subjects: ['person:3'] },
    ]);
    const stored = JSON.parse(text) as Record<string, unknown>;
    expect(stored.subjects).toBeUndefined();
    expect(text.match(/Person\.name/g)).toHaveLength(1);
    expect(decodeRecord(text)).toEqual(original);
  });

  it('stores the same text whether handed a record subject by subject or grouped', () => {
    // The gateway hands in its record grouped straight from the access report; tests and older
    // callers subject by subject. The hash chain covers the text, so both must give the same.
    const report = new AccessReport();
    const touches: [Subject, string][] = [
      [{ kind: 'person', id: '1' }, 'Person.name'],
      [{ kind: 'household', id: '440103100000001' }, 'Household.id'],
      [{ kind: 'person', id: '1' }, 'Person.id'],
      [{ kind: 'person', id: '2' }, 'Person.name'],
      [{ kind: 'household', id: '440103100000001' }, 'Household.address'],
      [{ kind: 'person', id: '2' }, 'Person.id'],
      [{ kind: 'person', id: '3' }, 'Person.id'],
    ];
    for (const [subject, field] of touches) report.touch(subject, field);
    const { touched: subjects } = report.toJSON();
    const { subjects: _subjects, ...rest } = record(subjects);
    const grouped: GroupedAccessRecord = { touched: report.toRecord().touched, ...rest };
    expect(encodeRecord(grouped)).toEqual(encodeRecord(record(subjects)));
    expect(decodeRecord(encodeRecord(grouped).text)).toEqual(record(subjects));
  });

  it('is much smaller than subject by subject for a batch review', () => {
    const fields = Array.from({ length: 20 }, (_, i) => `Person.field${i}`);
    const subjects = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [
        `person:4401031954090${String(i).padStart(5, '0')}`,
        fields,
      ]),
    );
    const original = record(subjects);
    const { text } = encodeRecord(original);
    expect(text.length * 5).toBeLessThan(JSON.stringify(original).length);
    expect(decodeRecord(text)).toEqual(original);
  });

  it('still reads records written subject by subject', () => {
    const legacy = record({ 'person:1': PERSON });
    expect(decodeRecord(JSON.stringify(legacy))).toEqual(legacy);
  });

  it('reads a record without subjects as touching none', () => {
    const { text } = encodeRecord(record({}));
    expect(decodeRecord(text).subjects).toEqual({});
  });
});
