/**
 * An independent reading of the catalogue's rules, written plainly from DESIGN section 5, used to
 * check the policy and the running platform: may this caller see this category of this subject?
 */
import type { AccessContext, Sharing, Subject } from '../../schema/access.ts';
import { CATALOGUE } from '../../schema/catalogue.ts';

export function catalogueAllows(
  access: AccessContext,
  sharing: Sharing,
  category: string,
  subject: Subject,
): boolean {
  const dept = CATALOGUE.departments[access.caller.dept];
  const purpose = access.purpose ? CATALOGUE.purposes[access.purpose] : undefined;
  const deptMayUse = !!purpose && !!dept?.purposes.includes(access.purpose!);
  if (sharing === 'FUNCTION') {
    const role = CATALOGUE.functions[category]?.role;
    return !!dept?.functions.includes(category) && !!role && access.caller.roles.includes(role);
  }
  if (sharing === 'AGGREGATE') return deptMayUse && !!purpose!.aggregateOnly;
  if (access.caller.kind !== 'department' || dept?.kind !== 'department') return false;
  // Root lookups of personal data only under a declared purpose.
  if (sharing === 'OPEN')
    return (
      !!subject || !!access.purpose || CATALOGUE.categories[category]?.sensitivity === 'public'
    );
  if (!deptMayUse || purpose!.aggregateOnly || !purpose!.categories.includes(category))
    return false;
  // A scoped purpose reaches only the subjects the gateway confirmed in its scope.
  if (purpose!.subjectScope && subject) {
    const scope = access.scope;
    const ids = [...(scope?.households ?? []), ...(scope?.persons ?? [])];
    if (!scope?.confirmed || !ids.includes(subject.id)) return false;
  }
  if (!purpose!.consentRequired) return true;
  if (access.consentStatus !== 'ok' || !subject) return false;
  return access.grants.some(
    (g) =>
      g.categories.includes(category) &&
      (subject.kind === 'person' ? g.subjects.includes(subject.id) : g.household === subject.id),
  );
}
