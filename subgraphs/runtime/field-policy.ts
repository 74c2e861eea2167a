/**
 * The one place where field decisions are applied in a subgraph: every field of Query, Mutation,
 * Person and Household is wrapped so that the policy is asked before the resolver runs. A denied
 * field never reaches its resolver (the data is not even read); it resolves to null with a coded
 * error at its path. Masked fields are masked here, where the data is. Unclassified fields on
 * these types are denied: deny by default.
 */
import { defaultFieldResolver, type GraphQLField, type GraphQLSchema } from 'graphql';
import type { Classification, Subject } from '../../schema/access.ts';
import { classificationOfNode } from '../../schema/classified.ts';
import { applyMask } from '../../schema/masking.ts';
import { PlatformError, ErrorCode } from '../../schema/errors.ts';
import type { AccessGuard } from './guard.ts';

/** Types whose every field must be classified. */
export const GUARDED_TYPES = ['Query', 'Mutation', 'Person', 'Household'] as const;
/** Federation's own root fields: guarded by the access context the whole request needs. */
const FEDERATION_FIELDS = new Set(['_entities', '_service']);

export function classificationOf(field: GraphQLField<unknown, unknown>): Classification | null {
  return classificationOfNode(field.astNode);
}

function subjectOf(typeName: string, source: unknown): Subject {
  const id = (source as { id?: unknown } | null)?.id;
  if (typeof id !== 'string') return null;
  if (typeName === 'Person') return { kind: 'person', id };
  if (typeName === 'Household') return { kind: 'household', id };
  return null;
}

const isPromise = (v: unknown): v is Promise<unknown> =>
  typeof (v as { then?: unknown } | null)?.then === 'function';

/** Wraps every guarded field; the request's AccessGuard (context.guard) decides. */
export function applyFieldPolicy(schema: GraphQLSchema): void {
  for (const typeName of GUARDED_TYPES) {
    const type = schema.getType(typeName);
    if (!type || !('getFields' in type) || !('isTypeOf' in type)) continue;
    for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
      if (FEDERATION_FIELDS.has(field.name)) continue;
      const coordinate = `${typeName}.${field.name}`;
      const classification = classificationOf(field);
      const resolve = field.resolve ?? defaultFieldResolver;
      if (!classification) {
        field.resolve = () => {
          throw new PlatformError(
            ErrorCode.FORBIDDEN,
            `${coordinate} is not classified for sharing`,
          );
        };
        continue;
      }
      field.resolve = (source, args, context, info) => {
        const { guard } = context as { guard: AccessGuard };
        const decision = guard.decide(coordinate, classification, subjectOf(typeName, source));
        if (!decision.allow) throw new PlatformError(decision.code, decision.message);
        const value = resolve(source, args, context, info);
        const rule = decision.mask;
        if (!rule) return value;
        return isPromise(value) ? value.then((v) => applyMask(rule, v)) : applyMask(rule, value);
      };
    }
  }
}
