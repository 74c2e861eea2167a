/**
 * The request's access guard: field decisions for the runtime's wrapper, and for the few
 * resolvers whose subject comes from their input (a write about a household, a feed of many
 * households). Every decision goes through the one policy, and is recorded in the access report.
 */
import type { AccessContext, Classification, Subject } from '../../schema/access.ts';
import type { AccessReport } from '../../schema/access-report.ts';
import { ErrorCode, PlatformError } from '../../schema/errors.ts';
import type { Decision, Policy } from '../../schema/policy.ts';

export class AccessGuard {
  /**
   * @param categories the department's own data categories (schema/department-categories.ts):
   * the gateway sends it only these of each consent, so a check of any other would deny what the
   * citizen agreed to. Asking for one is a programming error, thrown, not a denial.
   */
  constructor(
    private readonly policy: Policy,
    readonly access: AccessContext,
    readonly report: AccessReport,
    private readonly categories?: ReadonlySet<string>,
  ) {}

  private own(category: string): void {
    if (this.categories && !this.categories.has(category)) {
      throw new Error(
        `"${category}" is not a category this department classifies: declare it on a field of its SDL`,
      );
    }
  }

  decide(field: string, classification: Classification, subject: Subject): Decision {
    const decision = this.policy.decide(this.access, field, classification, subject);
    if (decision.allow) this.report.touch(subject, field);
    else this.report.deny(subject, field, decision.code);
    return decision;
  }

  /**
   * The members the registry lists in `household`, as the gateway confirmed them with the
   * request's consents for it; null when no consent for it carries them (a write then refuses).
   */
  registryMembers(household: string): Set<string> | null {
    let members: Set<string> | null = null;
    for (const grant of this.access.grants) {
      if (grant.household !== household || !grant.members) continue;
      members ??= new Set();
      for (const m of grant.members) members.add(m);
    }
    return members;
  }

  /** May this request read `category` data of the subject (without recording a denial)? */
  canRead(category: string, subject: Subject, field: string): boolean {
    this.own(category);
    const decision = this.policy.decide(
      this.access,
      field,
      { category, sharing: 'CONDITIONAL' },
      subject,
    );
    if (decision.allow) this.report.touch(subject, field, category);
    return decision.allow;
  }

  /**
   * Throws unless the request could read `category` data of some subject, consents aside: a
   * caller without a fitting purpose, or whose consents cannot be checked right now, is told so
   * instead of being shown an empty result it might mistake for "nothing there".
   */
  requirePurpose(category: string, field: string): void {
    const decision = this.policy.decide(
      this.access,
      field,
      { category, sharing: 'CONDITIONAL' },
      null,
    );
    if (!decision.allow && decision.code !== ErrorCode.CONSENT_REQUIRED) {
      this.report.deny(null, field, decision.code);
      throw new PlatformError(decision.code, decision.message);
    }
  }

  /** Throws the coded denial unless the request may use `category` data of the subject. */
  require(category: string, subject: Subject, field: string): void {
    this.own(category);
    const decision = this.policy.decide(
      this.access,
      field,
      { category, sharing: 'CONDITIONAL' },
      subject,
    );
    if (!decision.allow) {
      this.report.deny(subject, field, decision.code);
      throw new PlatformError(decision.code, decision.message);
    }
    this.report.touch(subject, field, category);
  }
}
