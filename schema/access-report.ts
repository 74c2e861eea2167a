/**
 * What a request touched: for each subject (person or household), the fields returned, and each
 * field denied with its code. Subgraphs fill one per request and hand it to the gateway in the
 * response extensions (`accessReport`); the gateway merges them into the access record and
 * strips them before the client sees the response. Identifiers only, never values.
 *
 * Two forms on the wire: subject by subject (`touched`, what any gateway reads), and grouped
 * (`touchedGroups`: the subjects shown the same fields listed once), which a department sends
 * only when the signed access context asks for it (`AccessReportFormat`). A batch review's
 * reports were half the bytes of its department answers, nearly all of it the same field names
 * repeated for each person (docs/performance.md).
 */
import type { Subject } from './access.ts';

export interface DeniedField {
  field: string;
  /** "person:<id>" or "household:<id>", or null for root fields. */
  subject: string | null;
  code: string;
}

export interface AccessReportJson {
  touched: Record<string, string[]>;
  /** Data categories used for a subject by resolvers that check them directly (writes, feeds). */
  categories: Record<string, string[]>;
  denied: DeniedField[];
}

/** Subjects that were shown the same fields, listed once. */
export interface TouchedGroup {
  fields: string[];
  subjects: string[];
}

/** Subjects whose data was used under the same categories, listed once. */
export interface CategoryGroup {
  categories: string[];
  subjects: string[];
}

/** The grouped form: the same report, each distinct list once. */
export interface GroupedAccessReportJson {
  touchedGroups: TouchedGroup[];
  categoryGroups: CategoryGroup[];
  denied: DeniedField[];
}

/**
 * Which form a department answers in: `subjects` for any gateway, `grouped` for one that said,
 * in its signed access context, that it reads it (an older gateway would find no subjects in it
 * and record none).
 */
export type AccessReportFormat = 'subjects' | 'grouped';

export const subjectKey = (subject: Subject): string | null =>
  subject ? `${subject.kind}:${subject.id}` : null;

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

const strings = (values: unknown): string[] =>
  Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string') : [];

/** Each subject's values, sorted (the order the access record keeps). */
const sorted = (map: Map<string, Set<string>>): [string, string[]][] =>
  [...map].map(([k, v]) => [k, [...v].sort()]);

/**
 * The subjects with the same list of values, once per distinct list, in first-seen order: the
 * grouped report on the wire, and the stored access record (gateway/audit/stored-record.ts).
 */
export function groupSubjects(
  entries: Iterable<readonly [string, string[]]>,
): { values: string[]; subjects: string[] }[] {
  const groups = new Map<string, { values: string[]; subjects: string[] }>();
  for (const [subject, values] of entries) {
    const key = values.join('\n');
    const group = groups.get(key);
    if (group) group.subjects.push(subject);
    else groups.set(key, { values, subjects: [subject] });
  }
  return [...groups.values()];
}

/** Subject → fields shown, as the groups of subjects shown the same fields (`groupSubjects`). */
export const touchedGroupsOf = (entries: Iterable<readonly [string, string[]]>): TouchedGroup[] =>
  groupSubjects(entries).map(({ values, subjects }) => ({ fields: values, subjects }));

export class AccessReport {
  private readonly touched = new Map<string, Set<string>>();
  private readonly categories = new Map<string, Set<string>>();
  private readonly deniedFields: DeniedField[] = [];

  touch(subject: Subject, field: string, category?: string): void {
    const key = subjectKey(subject);
    if (!key) return;
    add(this.touched, key, field);
    if (category) add(this.categories, key, category);
  }

  deny(subject: Subject, field: string, code: string): void {
    this.deniedFields.push({ field, subject: subjectKey(subject), code });
  }

  get empty(): boolean {
    return this.touched.size === 0 && this.deniedFields.length === 0;
  }

  /** Merges a subgraph's report, in either form (untrusted shape: checked field by field). */
  merge(json: unknown): void {
    const report = json as Partial<AccessReportJson & GroupedAccessReportJson> | null;
    if (!report || typeof report !== 'object') return;
    if (Array.isArray(report.touchedGroups) || Array.isArray(report.categoryGroups)) {
      this.mergeGroups(this.touched, report.touchedGroups, 'fields');
      this.mergeGroups(this.categories, report.categoryGroups, 'categories');
    } else {
      for (const [target, source] of [
        [this.touched, report.touched],
        [this.categories, report.categories],
      ] as const) {
        if (!source || typeof source !== 'object') continue;
        for (const [key, values] of Object.entries(source)) {
          for (const v of strings(values)) add(target, key, v);
        }
      }
    }
    for (const d of Array.isArray(report.denied) ? report.denied : []) {
      if (typeof d?.field === 'string' && typeof d.code === 'string') {
        this.deniedFields.push({
          field: d.field,
          subject: typeof d.subject === 'string' ? d.subject : null,
          code: d.code,
        });
      }
    }
  }

  private mergeGroups(
    target: Map<string, Set<string>>,
    groups: unknown,
    valuesKey: 'fields' | 'categories',
  ): void {
    if (!Array.isArray(groups)) return;
    for (const group of groups as unknown[]) {
      if (!group || typeof group !== 'object') continue;
      const values = strings((group as Record<string, unknown>)[valuesKey]);
      for (const subject of strings((group as Record<string, unknown>).subjects)) {
        for (const v of values) add(target, subject, v);
      }
    }
  }

  toJSON(): AccessReportJson {
    return {
      touched: Object.fromEntries(sorted(this.touched)),
      categories: Object.fromEntries(sorted(this.categories)),
      denied: this.deniedFields,
    };
  }

  /** The subjects shown the same fields, once per field list (the stored access record's form). */
  touchedGroups(): TouchedGroup[] {
    return touchedGroupsOf(sorted(this.touched));
  }

  /** The report as the access record keeps it (gateway/audit/stored-record.ts). */
  toRecord(): Pick<AccessReportJson, 'categories' | 'denied'> & { touched: TouchedGroup[] } {
    return {
      touched: this.touchedGroups(),
      categories: Object.fromEntries(sorted(this.categories)),
      denied: this.deniedFields,
    };
  }

  toGroupedJSON(): GroupedAccessReportJson {
    return {
      touchedGroups: this.touchedGroups(),
      categoryGroups: groupSubjects(sorted(this.categories)).map(({ values, subjects }) => ({
        categories: values,
        subjects,
      })),
      denied: this.deniedFields,
    };
  }

  /** The form the caller asked for. */
  toWire(format: AccessReportFormat): AccessReportJson | GroupedAccessReportJson {
    return format === 'grouped' ? this.toGroupedJSON() : this.toJSON();
  }
}
