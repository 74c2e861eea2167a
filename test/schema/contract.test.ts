/**
 * The contract: the committed supergraph is what the SDL files compose to, and every field of
 * Person, Household and the root types is classified with a known category and sharing class,
 * guarded fields nullable (a denied field must be able to come back null).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildASTSchema,
  isNonNullType,
  parse,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import { composeSupergraph, readSupergraph, supergraphMembers } from '../../schema/compose.ts';
import { CATALOGUE } from '../../schema/catalogue.ts';
import { classificationOf, GUARDED_TYPES } from '../../subgraphs/runtime/field-policy.ts';

function guardedFields(schema: GraphQLSchema) {
  const out: { coordinate: string; field: GraphQLField<unknown, unknown> }[] = [];
  for (const typeName of GUARDED_TYPES) {
    const type = schema.getType(typeName);
    if (!type || !('getFields' in type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.name.startsWith('_')) continue;
      out.push({
        coordinate: `${typeName}.${field.name}`,
        field: field as GraphQLField<unknown, unknown>,
      });
    }
  }
  return out;
}

describe('schema contract', () => {
  it('the committed supergraph is fresh (run `npm run compose` when this fails)', () => {
    expect(readSupergraph()).toBe(composeSupergraph());
  });

  const supergraph = buildASTSchema(parse(readSupergraph()), { assumeValidSDL: true });

  it('classifies every field of Person, Household and the root types', () => {
    const fields = guardedFields(supergraph);
    expect(fields.length).toBeGreaterThan(40);
    const problems: string[] = [];
    for (const { coordinate, field } of fields) {
      const classification = classificationOf(field);
      if (!classification) {
        problems.push(`${coordinate} is not classified`);
        continue;
      }
      const known =
        classification.sharing === 'FUNCTION'
          ? classification.category in CATALOGUE.functions
          : classification.category in CATALOGUE.categories;
      if (!known) problems.push(`${coordinate} has unknown category ${classification.category}`);
      const guarded = classification.sharing !== 'OPEN';
      if (guarded && isNonNullType(field.type))
        problems.push(`${coordinate} is guarded but non-null`);
    }
    expect(problems).toEqual([]);
  });

  it('classifies the same in every subgraph SDL file that declares a field', () => {
    for (const { name } of supergraphMembers()) {
      const sdl = readFileSync(new URL(`../../schema/${name}.graphql`, import.meta.url), 'utf8');
      const doc = parse(sdl);
      for (const def of doc.definitions) {
        if (!('fields' in def) || !def.fields || !('name' in def)) continue;
        if (!(GUARDED_TYPES as readonly string[]).includes(def.name!.value)) continue;
        for (const field of def.fields) {
          const external = field.directives?.some((d) => d.name.value === 'external');
          const classified = field.directives?.some((d) => d.name.value === 'classified');
          expect(external || classified, `${name}: ${def.name!.value}.${field.name.value}`).toBe(
            true,
          );
        }
      }
    }
  });

  it('keeps masking rules on fields that exist and are OPEN', () => {
    for (const rule of CATALOGUE.masking) {
      const [typeName, fieldName] = rule.field.split('.') as [string, string];
      const type = supergraph.getType(typeName);
      const field = type && 'getFields' in type ? type.getFields()[fieldName] : undefined;
      expect(field, rule.field).toBeDefined();
      expect(classificationOf(field as GraphQLField<unknown, unknown>)?.sharing).toBe('OPEN');
    }
  });
});
