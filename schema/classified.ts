/**
 * Reads a field's `@classified(category:, sharing:)` directive from its SDL definition: the one
 * reader behind the departments' field decisions (subgraphs/runtime/field-policy.ts), the
 * gateway's record of categories and each department's consent categories.
 */
import type { ConstDirectiveNode } from 'graphql';
import { SHARING_CLASSES, type Classification, type Sharing } from './access.ts';

/** The classification of a field definition node, or null when it has none (or a malformed one). */
export function classificationOfNode(
  node: { readonly directives?: readonly ConstDirectiveNode[] } | null | undefined,
): Classification | null {
  const directive = node?.directives?.find((d) => d.name.value === 'classified');
  if (!directive) return null;
  const arg = (name: string) => {
    const value = directive.arguments?.find((a) => a.name.value === name)?.value;
    return value?.kind === 'StringValue' || value?.kind === 'EnumValue' ? value.value : undefined;
  };
  const category = arg('category');
  const sharing = arg('sharing') as Sharing | undefined;
  if (!category || !sharing || !SHARING_CLASSES.includes(sharing)) return null;
  return { category, sharing };
}
