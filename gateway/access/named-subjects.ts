/**
 * The persons and households an operation names in its root fields' arguments: the ids of a
 * root lookup that returns Person or Household (`person(id)`, `households(ids)` …), and any
 * argument or input field called `household(s)`, `person(s)` or `coveredMembers` (writes).
 * A scoped purpose (purpose-scope.ts) reaches only subjects named this way that are in scope,
 * and their registered members.
 */
import {
  Kind,
  getNamedType,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

export interface NamedSubjects {
  households: Set<string>;
  persons: Set<string>;
}

const HOUSEHOLD_ARGS = new Set(['household', 'households']);
const PERSON_ARGS = new Set(['person', 'persons', 'coveredMembers']);
const ID_ARGS = new Set(['id', 'ids']);

/** Every string in a value (lists and variables included), with the name it was given under. */
function collect(
  name: string,
  value: ValueNode | unknown,
  variables: Record<string, unknown>,
  add: (name: string, id: string) => void,
): void {
  const node = value as ValueNode | undefined;
  if (node && typeof node === 'object' && 'kind' in node) {
    switch (node.kind) {
      case Kind.STRING:
        return add(name, node.value);
      case Kind.VARIABLE:
        return collect(name, variables[node.name.value], variables, add);
      case Kind.LIST:
        for (const v of node.values) collect(name, v, variables, add);
        return;
      case Kind.OBJECT:
        for (const f of node.fields) collect(f.name.value, f.value, variables, add);
        return;
      default:
        return;
    }
  }
  // A variable's JSON value.
  if (typeof value === 'string') add(name, value);
  else if (Array.isArray(value)) for (const v of value) collect(name, v, variables, add);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collect(k, v, variables, add);
  }
}

export function namedSubjects(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): NamedSubjects {
  const found: NamedSubjects = { households: new Set(), persons: new Set() };
  const root =
    operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  const fields = root?.getFields() ?? {};
  const visitSet = (set: SelectionSetNode, seen: Set<string>) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) visitSet(selection.selectionSet, seen);
      else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments[selection.name.value];
        if (fragment && !seen.has(fragment.name.value)) {
          visitSet(fragment.selectionSet, new Set([...seen, fragment.name.value]));
        }
      } else {
        const returns = fields[selection.name.value]
          ? getNamedType(fields[selection.name.value]!.type).name
          : undefined;
        for (const arg of selection.arguments ?? []) {
          collect(arg.name.value, arg.value, variables, (name, id) => {
            if (HOUSEHOLD_ARGS.has(name) || (ID_ARGS.has(name) && returns === 'Household'))
              found.households.add(id);
            else if (PERSON_ARGS.has(name) || (ID_ARGS.has(name) && returns === 'Person'))
              found.persons.add(id);
          });
        }
      }
    }
  };
  visitSet(operation.selectionSet, new Set());
  return found;
}
