/**
 * The data categories a department decides on: those of the fields its SDL classifies, and those
 * that unmask its masked fields. The gateway sends each department a consent's categories within
 * this set only (data minimization: the housing department does not learn that a household agreed
 * to share its medical expenses, and every access context is smaller), and a department's
 * resolvers may check no other category (AccessGuard), so nothing a department decides on is
 * missing from what it receives.
 */
import { Kind, type DocumentNode } from 'graphql';
import type { Catalogue } from './catalogue.ts';
import { classificationOfNode } from './classified.ts';

export function departmentCategories(
  sdl: DocumentNode,
  catalogue: Pick<Catalogue, 'masking'>,
): ReadonlySet<string> {
  const categories = new Set<string>();
  const fields = new Set<string>();
  for (const definition of sdl.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION
    )
      continue;
    for (const field of definition.fields ?? []) {
      fields.add(`${definition.name.value}.${field.name.value}`);
      const classification = classificationOfNode(field);
      if (classification) categories.add(classification.category);
    }
  }
  for (const rule of catalogue.masking) {
    if (fields.has(rule.field)) categories.add(rule.unlessCategory);
  }
  return categories;
}

/** Every department's categories, by subgraph name (the gateway's signer takes this). */
export function departmentCategoryMap(
  catalogue: Pick<Catalogue, 'masking' | 'subgraphs'>,
  sdlOf: (subgraph: string) => DocumentNode,
): ReadonlyMap<string, ReadonlySet<string>> {
  return new Map(
    catalogue.subgraphs.map((s) => [s.name, departmentCategories(sdlOf(s.name), catalogue)]),
  );
}
