/**
 * How an access record is stored: the same record, with the subjects that were shown the same
 * fields listed once per field list. A batch review of 20 households touches about a hundred
 * people and households with three distinct field lists; stored subject by subject its record was
 * 40 KB, which the gateway serialized, hashed and wrote before every response (the audit was a
 * fifth of the gateway's CPU on that workload, docs/performance.md). Grouped, it is a few KB.
 *
 * The stored text is what the hash chain covers, so the format is part of the log: records
 * written subject by subject (before this format) still read back.
 */
import { touchedGroupsOf, type TouchedGroup } from '../../schema/access-report.ts';
import type { AccessRecord, GroupedAccessRecord, RecordToAppend } from './access-record.ts';

/** The record's stored text and its subject groups (the subject index is written from them). */
export function encodeRecord(record: RecordToAppend): { text: string; groups: TouchedGroup[] } {
  let rest: Omit<AccessRecord, 'subjects'>;
  let groups: TouchedGroup[];
  if ('touched' in record) {
    ({ touched: groups, ...rest } = record);
  } else {
    const { subjects, ...others } = record;
    rest = others;
    groups = touchedGroupsOf(Object.entries(subjects));
  }
  // AccessRecord's key order without `subjects`, then `touched`: whichever form was handed in,
  // the same text (the hash chain covers it).
  const stored: GroupedAccessRecord = { ...rest, touched: groups };
  return { text: JSON.stringify(stored), groups };
}

/** Reads a stored record back into the AccessRecord shape (either format). */
export function decodeRecord(text: string): AccessRecord {
  const stored = JSON.parse(text) as Partial<GroupedAccessRecord> & {
    subjects?: AccessRecord['subjects'];
  };
  if (stored.subjects || !Array.isArray(stored.touched)) {
    return { ...(stored as AccessRecord), subjects: stored.subjects ?? {} };
  }
  const subjects: AccessRecord['subjects'] = {};
  for (const group of stored.touched) {
    for (const subject of group.subjects) subjects[subject] = group.fields;
  }
  const { touched: _touched, ...rest } = stored;
  return { ...(rest as Omit<AccessRecord, 'subjects'>), subjects };
}
