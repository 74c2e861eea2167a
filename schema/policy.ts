/**
 * Field decisions: given the access context, a field's classification and whose data it is,
 * allow it (possibly masked) or deny it with a coded reason. Pure and synchronous: it is called
 * for every classified field the subgraphs resolve, and it must be easy to reason about.
 *
 * Deny by default: an unknown purpose, department, category or sharing class denies.
 */
import type { Catalogue, MaskRule } from './catalogue.ts';
import { ErrorCode } from './errors.ts';
import type {
  AccessContext,
  Classification,
  ConsentGrant,
  RejectedConsent,
  RejectionReason,
  Subject,
  SubjectScopeSet,
} from './access.ts';

export type Decision =
  { allow: true; mask?: MaskRule } | { allow: false; code: ErrorCode; message: string };

const ALLOW: Decision = { allow: true };

/** What each rejection means to the caller, and what to do about it. */
const REJECTION: Record<RejectionReason, string> = {
  expired: 'has expired: ask the applicant to renew it',
  'other-department': 'was not granted to your department',
  'other-purpose': 'was given for another purpose than X-Purpose',
  lifetime: "lasts longer than its purpose's maximum consent lifetime: it cannot be used",
  revoked: 'has been revoked',
  'status-unavailable': 'cannot be checked for revocation right now: try again shortly',
  'registry-unavailable':
    'cannot be checked against the household registry right now: try again shortly',
  'not-a-member':
    "does not cover this person: the registry does not list them in the consent's household",
  'unknown-household': 'names a household the registry does not list',
};
const deny = (code: ErrorCode, message: string): Decision => ({ allow: false, code, message });

interface ConsentIndex {
  /** The lists it was built from: the gateway replaces them once the registry confirms grants. */
  grants: readonly ConsentGrant[];
  rejected: readonly RejectedConsent[];
  byPerson: Map<string, ConsentGrant[]>;
  byHousehold: Map<string, ConsentGrant[]>;
  rejectedByPerson: Map<string, RejectedConsent>;
  rejectedByHousehold: Map<string, RejectedConsent>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export class Policy {
  private readonly purposeCategories = new Map<string, Set<string>>();
  private readonly masks = new Map<string, { rule: MaskRule; unlessCategory: string }>();
  /** Indexes built once per request context (the object identity is the request). */
  private readonly indexes = new WeakMap<AccessContext, ConsentIndex>();
  /** Each request's subjects in scope, as one set (identity and household numbers never clash). */
  private readonly scopes = new WeakMap<SubjectScopeSet, Set<string>>();

  constructor(readonly catalogue: Catalogue) {
    for (const [code, purpose] of Object.entries(catalogue.purposes)) {
      this.purposeCategories.set(code, new Set(purpose.categories));
    }
    for (const m of catalogue.masking) this.masks.set(m.field, m);
  }

  decide(
    access: AccessContext,
    field: string,
    classification: Classification,
    subject: Subject,
  ): Decision {
    switch (classification.sharing) {
      case 'OPEN':
        return this.open(access, field, classification.category, subject);
      case 'CONDITIONAL':
        return this.conditional(access, classification.category, subject);
      case 'AGGREGATE':
        return this.aggregate(access);
      case 'FUNCTION':
        return this.function(access, classification.category);
      default:
        return deny(ErrorCode.FORBIDDEN, 'This field is not shared');
    }
  }

  /** Request-level purpose check, shared with the gateway so both say the same thing. */
  purposeProblem(access: AccessContext): Decision | null {
    const { purpose, caller } = access;
    if (!purpose) return null;
    const entry = this.catalogue.purposes[purpose];
    if (!entry) return deny(ErrorCode.PURPOSE_NOT_ALLOWED, `Unknown purpose "${purpose}"`);
    const department = this.catalogue.departments[caller.dept];
    if (!department?.purposes.includes(purpose)) {
      return deny(
        ErrorCode.PURPOSE_NOT_ALLOWED,
        `Your department may not use the purpose "${purpose}"`,
      );
    }
    return null;
  }

  private open(access: AccessContext, field: string, category: string, subject: Subject): Decision {
    if (access.caller.kind !== 'department' || !this.catalogue.departments[access.caller.dept]) {
      return deny(ErrorCode.FORBIDDEN, 'Only departments read person-level data');
    }
    // A root lookup of personal data (person, persons, household …) answers which identity or
    // household numbers exist: only under a declared purpose, so every lookup says why.
    if (subject === null && !access.purpose && this.isPersonal(category)) {
      return deny(
        ErrorCode.FORBIDDEN,
        `Declare a purpose (X-Purpose) to look up ${category} records: lookups are made for a purpose and recorded with it`,
      );
    }
    const mask = this.masks.get(field);
    if (!mask) return ALLOW;
    const full = this.conditional(access, mask.unlessCategory, subject);
    return full.allow ? ALLOW : { allow: true, mask: mask.rule };
  }

  private conditional(access: AccessContext, category: string, subject: Subject): Decision {
    if (access.caller.kind !== 'department' || !this.catalogue.departments[access.caller.dept]) {
      return deny(ErrorCode.FORBIDDEN, 'Only departments read person-level data');
    }
    if (!access.purpose) {
      return deny(ErrorCode.FORBIDDEN, `Declare a purpose (X-Purpose) to read ${category} data`);
    }
    const problem = this.purposeProblem(access);
    if (problem) return problem;
    const purpose = this.catalogue.purposes[access.purpose]!;
    if (purpose.aggregateOnly) {
      return deny(ErrorCode.FORBIDDEN, `The purpose "${access.purpose}" allows statistics only`);
    }
    if (!this.purposeCategories.get(access.purpose)?.has(category)) {
      return deny(
        ErrorCode.FORBIDDEN,
        `The purpose "${access.purpose}" does not cover ${category} data`,
      );
    }
    if (purpose.subjectScope && subject) {
      const outside = this.outsideScope(access, subject);
      if (outside) return outside;
    }
    if (!purpose.consentRequired) return ALLOW;
    if (access.consentStatus !== 'ok') {
      return deny(
        ErrorCode.CONSENT_STATUS_UNAVAILABLE,
        'Consent revocation status cannot be read right now; consent-based data is withheld',
      );
    }
    if (!subject)
      return deny(ErrorCode.CONSENT_REQUIRED, `The purpose "${access.purpose}" needs a consent`);
    const index = this.index(access);
    const grants = (subject.kind === 'person' ? index.byPerson : index.byHousehold).get(subject.id);
    if (grants?.some((g) => g.categories.includes(category))) return ALLOW;
    const rejected = (
      subject.kind === 'person' ? index.rejectedByPerson : index.rejectedByHousehold
    ).get(subject.id);
    if (rejected) {
      return deny(
        rejected.code,
        `The consent presented for this ${subject.kind} ${rejected.reason ? REJECTION[rejected.reason] : 'cannot be used'}`,
      );
    }
    return deny(
      ErrorCode.CONSENT_REQUIRED,
      grants
        ? `The consent for this ${subject.kind} does not cover ${category} data`
        : `No consent presented covers this ${subject.kind}`,
    );
  }

  /** A scoped purpose reaches only the subjects the gateway confirmed in scope (access.scope). */
  private outsideScope(access: AccessContext, subject: NonNullable<Subject>): Decision | null {
    const purpose = access.purpose!;
    const scope = this.catalogue.purposes[purpose]!.subjectScope!;
    const set = access.scope;
    if (!set?.confirmed) {
      return deny(
        ErrorCode.FORBIDDEN,
        `The purpose "${purpose}" reaches only ${scope.description}, and that could not be checked right now: try again shortly`,
      );
    }
    let inScope = this.scopes.get(set);
    if (!inScope) {
      inScope = new Set([...set.households, ...set.persons]);
      this.scopes.set(set, inScope);
    }
    if (inScope.has(subject.id)) return null;
    return deny(
      ErrorCode.FORBIDDEN,
      `The purpose "${purpose}" reaches only ${scope.description}: this ${subject.kind} is not among them`,
    );
  }

  private isPersonal(category: string): boolean {
    return this.catalogue.categories[category]?.sensitivity !== 'public';
  }

  private aggregate(access: AccessContext): Decision {
    const purpose = access.purpose ? this.catalogue.purposes[access.purpose] : undefined;
    if (!purpose?.aggregateOnly || this.purposeProblem(access)) {
      return deny(
        ErrorCode.FORBIDDEN,
        'Statistics need the purpose "statistics" and a role allowed it',
      );
    }
    return ALLOW;
  }

  /** Platform functions: the department must be granted the function, the token its role. */
  private function(access: AccessContext, name: string): Decision {
    const department = this.catalogue.departments[access.caller.dept];
    const fn = this.catalogue.functions[name];
    if (!fn || !department?.functions.includes(name)) {
      return deny(ErrorCode.FORBIDDEN, `Your department may not use ${name}`);
    }
    if (!access.caller.roles.includes(fn.role)) {
      return deny(ErrorCode.FORBIDDEN, `${name} needs the role "${fn.role}"`);
    }
    return ALLOW;
  }

  private index(access: AccessContext): ConsentIndex {
    let index = this.indexes.get(access);
    if (index && index.grants === access.grants && index.rejected === access.rejected) return index;
    index = {
      grants: access.grants,
      rejected: access.rejected,
      byPerson: new Map(),
      byHousehold: new Map(),
      rejectedByPerson: new Map(),
      rejectedByHousehold: new Map(),
    };
    for (const grant of access.grants) {
      push(index.byHousehold, grant.household, grant);
      for (const s of grant.subjects) push(index.byPerson, s, grant);
    }
    for (const r of access.rejected) {
      // A consent rejected only for its signers outside the household still opens the household.
      if (r.reason !== 'not-a-member') index.rejectedByHousehold.set(r.household, r);
      for (const s of r.subjects) index.rejectedByPerson.set(s, r);
    }
    this.indexes.set(access, index);
    return index;
  }
}
