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
  denied: DeniedField[];
}

export const subjectKey = (subject: Subject): string | null =>
  subject ? `${subject.kind}:${subject.id}` : null;

export class AccessReport {
  private readonly touched = new Map<string, Set<string>>();
  private readonly deniedFields: DeniedField[] = [];

  touch(subject: Subject, field: string): void {
    const key = subjectKey(subject);
    if (!key) return;
    const fields = this.touched.get(key);
    if (fields) fields.add(field);
    else this.touched.set(key, new Set([field]));
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
    for (const [key, fields] of Object.entries(report.touched ?? {})) {
      if (!Array.isArray(fields)) continue;
      const set = this.touched.get(key) ?? new Set<string>();
      for (const f of fields) if (typeof f === 'string') set.add(f);
      this.touched.set(key, set);
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
    return {
      touched: Object.fromEntries([...this.touched].map(([k, v]) => [k, [...v].sort()])),
      denied: this.deniedFields,
    };
  }
}
