/** Field coordinate → data category, read from the supergraph's @classified directives. */
import { buildASTSchema, parse, type GraphQLField } from 'graphql';
import { classificationOf } from '../../subgraphs/runtime/field-policy.ts';

export function fieldCategories(supergraphSdl: string): (field: string) => string | undefined {
  const schema = buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
  const map = new Map<string, string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !('getFields' in type) || !('isTypeOf' in type)) continue;
    for (const field of Object.values(type.getFields())) {
      const c = classificationOf(field as GraphQLField<unknown, unknown>);
      // Platform functions (writes, audit) are not data categories.
      if (c && c.sharing !== 'FUNCTION') map.set(`${type.name}.${field.name}`, c.category);
    }
  }
  return (field) => map.get(field);
}
