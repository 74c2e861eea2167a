/**
 * What a request touched: for each subject (person or household), the fields returned, and each
 * field denied with its code. Subgraphs fill one per request and hand it to the gateway in the
 * response extensions (`accessReport`); the gateway merges them into the access record and
 * strips them before the client sees the response. Identifiers only, never values.
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

export const subjectKey = (subject: Subject): string | null =>
  subject ? `${subject.kind}:${subject.id}` : null;

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

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

  /** Merges a subgraph's report (untrusted shape: checked field by field). */
  merge(json: unknown): void {
    const report = json as Partial<AccessReportJson> | null;
    if (!report || typeof report !== 'object') return;
    for (const [target, source] of [
      [this.touched, report.touched],
      [this.categories, report.categories],
    ] as const) {
      for (const [key, values] of Object.entries(source ?? {})) {
        if (!Array.isArray(values)) continue;
        for (const v of values) if (typeof v === 'string') add(target, key, v);
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

  toJSON(): AccessReportJson {
    const plain = (map: Map<string, Set<string>>) =>
      Object.fromEntries([...map].map(([k, v]) => [k, [...v].sort()]));
    return {
      touched: plain(this.touched),
      categories: plain(this.categories),
      denied: this.deniedFields,
    };
  }
}
