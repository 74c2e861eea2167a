/**
 * The sharing catalogue: the one reviewed file (catalogue.json) that says which departments
 * publish which subgraphs, which data categories exist, which purposes may use which categories
 * (and whether they need consent or a reason), which purposes and platform functions (writes,
 * revocation, audit) each department may use, and the role each function needs. Read and validated once at start; every problem names the entry at fault.
 */
import { readFileSync } from 'node:fs';

export interface SubgraphEntry {
  /** Folder under subgraphs/ and SDL file name under schema/. */
  name: string;
  /** Department code of the publisher. */
  department: string;
  /** Default listen port. */
  port: number;
  title: string;
}

export interface CategoryEntry {
  title: string;
  sensitivity: 'public' | 'personal' | 'sensitive';
}

export interface PurposeEntry {
  title: string;
  /** Data categories the purpose may use. */
  categories: string[];
  /** Person-level data only for subjects a presented consent covers. */
  consentRequired: boolean;
  /** The caller must say why (X-Access-Reason). */
  reasonRequired: boolean;
  /** Every use lands in the auditors' review queue. */
  review?: boolean;
  /** Statistics only: no person-level field, ever. */
  aggregateOnly?: boolean;
  /**
   * The longest a consent for this purpose may last (`exp` − `iat`, and `exp` − `nbf`), in days.
   * Required where the purpose needs consent; a consent for a purpose without it is not usable.
   */
  maxConsentDays?: number;
  /** The subjects the purpose reaches, where it is bounded (e.g. disaster relief: the damaged). */
  subjectScope?: SubjectScope;
}

/**
 * A purpose's subject scope: the households that `subgraph`'s gateway-only field `field`
 * (arguments `households: [ID!]!, since: String!`, answering `[ID!]!`) says are in scope as of
 * `withinDays` days ago, and their registered members. Everything else is out of the purpose's reach.
 */
export interface SubjectScope {
  /** Says who is in scope, for error messages and docs. */
  description: string;
  subgraph: string;
  field: string;
  withinDays: number;
}

export interface DepartmentEntry {
  title: string;
  /**
   * Departments read person-level data; platform roles (analysts, auditors …) and citizens never
   * do. `gateway` is the gateway's own identity for its registry and scope checks: no caller's
   * token may name it.
   */
  kind: 'department' | 'platform' | 'citizen' | 'gateway';
  purposes: string[];
  /** Platform functions (fields classified FUNCTION) the department may use. */
  functions: string[];
}

export interface FunctionEntry {
  title: string;
  /** Role the caller's token must hold to use the function. */
  role: string;
}

export type MaskRule = 'name' | 'address' | 'identity-number';

export interface MaskingEntry {
  /** Type.field, e.g. Person.name. */
  field: string;
  rule: MaskRule;
  /** Unmasked only when the caller could read this category for the subject. */
  unlessCategory: string;
}

export interface Catalogue {
  version: number;
  smallCellThreshold: number;
  subgraphs: SubgraphEntry[];
  categories: Record<string, CategoryEntry>;
  purposes: Record<string, PurposeEntry>;
  departments: Record<string, DepartmentEntry>;
  functions: Record<string, FunctionEntry>;
  masking: MaskingEntry[];
}

export class CatalogueError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid sharing catalogue:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CatalogueError';
  }
}

const CODE = /^[a-z][a-z0-9-]*$/;
/** Ten years: a consent meant to last longer is a mistake in the catalogue. */
const MAX_CONSENT_DAYS = 3650;
const KINDS: readonly DepartmentEntry['kind'][] = ['department', 'platform', 'citizen', 'gateway'];
const MASK_RULES: readonly MaskRule[] = ['name', 'address', 'identity-number'];
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');

function checkSubgraphs(doc: Partial<Catalogue>, problems: string[]): void {
  const subgraphs = Array.isArray(doc.subgraphs) ? doc.subgraphs : [];
  if (subgraphs.length === 0) problems.push('subgraphs must list at least one subgraph');
  const names = new Set<string>();
  const ports = new Set<number>();
  subgraphs.forEach((entry, i) => {
    const at = `subgraphs[${i}]${entry?.name ? ` (${entry.name})` : ''}`;
    if (typeof entry?.name !== 'string' || !CODE.test(entry.name)) {
      problems.push(`${at}: name must be lower-case letters, digits and dashes`);
    } else if (names.has(entry.name)) problems.push(`${at}: name is listed twice`);
    else names.add(entry.name);
    if (!isObject(doc.departments) || !(entry?.department in doc.departments)) {
      problems.push(`${at}: department "${entry?.department}" is not in departments`);
    }
    if (!Number.isInteger(entry?.port) || entry.port < 1 || entry.port > 65535) {
      problems.push(`${at}: port must be a TCP port`);
    } else if (ports.has(entry.port)) problems.push(`${at}: port ${entry.port} is used twice`);
    else ports.add(entry.port);
    if (typeof entry?.title !== 'string') problems.push(`${at}: title is required`);
  });
}

function checkPurposes(doc: Partial<Catalogue>, problems: string[]): void {
  const categories = isObject(doc.categories) ? doc.categories : {};
  for (const [code, p] of Object.entries(isObject(doc.purposes) ? doc.purposes : {})) {
    const at = `purposes.${code}`;
    if (!CODE.test(code))
      problems.push(`${at}: code must be lower-case letters, digits and dashes`);
    if (!isObject(p) || typeof p.title !== 'string') {
      problems.push(`${at}: needs a title`);
      continue;
    }
    if (!isStringList(p.categories) || p.categories.length === 0) {
      problems.push(`${at}: categories must list at least one category`);
    } else {
      for (const c of p.categories)
        if (!(c in categories)) problems.push(`${at}: unknown category "${c}"`);
    }
    if (typeof p.consentRequired !== 'boolean')
      problems.push(`${at}: consentRequired must be true or false`);
    if (typeof p.reasonRequired !== 'boolean')
      problems.push(`${at}: reasonRequired must be true or false`);
    const days = p.maxConsentDays;
    if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > MAX_CONSENT_DAYS)) {
      problems.push(`${at}: maxConsentDays must be a whole number from 1 to ${MAX_CONSENT_DAYS}`);
    } else if (p.consentRequired === true && days === undefined) {
      problems.push(`${at}: a purpose that needs consent must set maxConsentDays`);
    }
    if (p.subjectScope !== undefined) checkScope(doc, p.subjectScope, at, problems);
  }
}

function checkScope(doc: Partial<Catalogue>, scope: unknown, at: string, problems: string[]) {
  const s = (isObject(scope) ? scope : {}) as Partial<SubjectScope>;
  const subgraphs = Array.isArray(doc.subgraphs) ? doc.subgraphs.map((e) => e?.name) : [];
  if (typeof s.description !== 'string' || s.description === '')
    problems.push(`${at}.subjectScope: needs a description`);
  if (!subgraphs.includes(s.subgraph as string))
    problems.push(`${at}.subjectScope: subgraph "${s.subgraph}" is not in subgraphs`);
  if (typeof s.field !== 'string' || !/^[A-Za-z_]\w*$/.test(s.field))
    problems.push(`${at}.subjectScope: field must be a field name`);
  if (!Number.isInteger(s.withinDays) || s.withinDays! < 1)
    problems.push(`${at}.subjectScope: withinDays must be a whole number of at least 1`);
}

/** The longest any purpose lets a consent last: revocations are kept at least this long. */
export function longestConsentDays(catalogue: Catalogue): number {
  return Math.max(0, ...Object.values(catalogue.purposes).map((p) => p.maxConsentDays ?? 0));
}

function checkDepartments(doc: Partial<Catalogue>, problems: string[]): void {
  const purposes = isObject(doc.purposes) ? doc.purposes : {};
  const functions = isObject(doc.functions) ? doc.functions : {};
  for (const [code, f] of Object.entries(functions)) {
    if (typeof f?.title !== 'string' || typeof f?.role !== 'string' || f.role === '') {
      problems.push(`functions.${code}: needs a title and a role`);
    }
  }
  for (const [code, d] of Object.entries(isObject(doc.departments) ? doc.departments : {})) {
    const at = `departments.${code}`;
    if (!CODE.test(code))
      problems.push(`${at}: code must be lower-case letters, digits and dashes`);
    if (!isObject(d) || typeof d.title !== 'string') {
      problems.push(`${at}: needs a title`);
      continue;
    }
    if (!KINDS.includes(d.kind)) {
      problems.push(`${at}: kind must be one of ${KINDS.map((k) => `"${k}"`).join(', ')}`);
    }
    if (!isStringList(d.purposes)) problems.push(`${at}: purposes must be a list`);
    else
      for (const p of d.purposes)
        if (!(p in purposes)) problems.push(`${at}: unknown purpose "${p}"`);
    if (!isStringList(d.functions)) problems.push(`${at}: functions must be a list (may be empty)`);
    else
      for (const f of d.functions)
        if (!(f in functions)) problems.push(`${at}: unknown function "${f}"`);
  }
}

function checkMasking(doc: Partial<Catalogue>, problems: string[]): void {
  const categories = isObject(doc.categories) ? doc.categories : {};
  (Array.isArray(doc.masking) ? doc.masking : []).forEach((m, i) => {
    const at = `masking[${i}]`;
    if (typeof m?.field !== 'string' || !/^[A-Z]\w*\.\w+$/.test(m.field)) {
      problems.push(`${at}: field must be Type.field`);
    }
    if (!MASK_RULES.includes(m?.rule))
      problems.push(`${at}: rule must be one of ${MASK_RULES.join(', ')}`);
    if (!(m?.unlessCategory in categories))
      problems.push(`${at}: unknown category "${m?.unlessCategory}"`);
  });
}

export function parseCatalogue(raw: unknown): Catalogue {
  const problems: string[] = [];
  const doc = (isObject(raw) ? raw : {}) as Partial<Catalogue>;
  if (doc.version !== 1) problems.push('version must be 1');
  if (!Number.isInteger(doc.smallCellThreshold) || doc.smallCellThreshold! < 1) {
    problems.push('smallCellThreshold must be a whole number of at least 1');
  }
  for (const [code, c] of Object.entries(isObject(doc.categories) ? doc.categories : {})) {
    if (!CODE.test(code))
      problems.push(`categories.${code}: code must be lower-case letters, digits and dashes`);
    if (!['public', 'personal', 'sensitive'].includes(c?.sensitivity)) {
      problems.push(`categories.${code}: sensitivity must be public, personal or sensitive`);
    }
  }
  if (!isObject(doc.categories)) problems.push('categories must be an object');
  if (!isObject(doc.purposes)) problems.push('purposes must be an object');
  if (!isObject(doc.departments)) problems.push('departments must be an object');
  if (!isObject(doc.functions)) problems.push('functions must be an object');
  if (!Array.isArray(doc.masking)) problems.push('masking must be a list (may be empty)');
  checkSubgraphs(doc, problems);
  checkPurposes(doc, problems);
  checkDepartments(doc, problems);
  checkMasking(doc, problems);
  if (problems.length > 0) throw new CatalogueError(problems);
  return doc as Catalogue;
}

export const CATALOGUE_PATH = new URL('./catalogue.json', import.meta.url);

export function loadCatalogue(file: URL | string = CATALOGUE_PATH): Catalogue {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CatalogueError([`cannot read ${String(file)}: ${(error as Error).message}`]);
  }
  return parseCatalogue(raw);
}

export const CATALOGUE: Catalogue = loadCatalogue();
export const SUBGRAPHS: readonly SubgraphEntry[] = CATALOGUE.subgraphs;
