/**
 * The answer the gateway gives itself when a department cannot answer: no data, and one
 * SUBGRAPH_UNAVAILABLE error per field the call would have filled, with the path in the
 * department's response (`["_entities", 3, "medicalInsurance"]`, `["disasterEvents"]`). The
 * gateway maps those paths into the client's response (`["household", "members", 3,
 * "medicalInsurance"]`), exactly as it does for a field a department denies, so that a client
 * sees which fields are missing and why, and everything else arrives intact.
 */
import {
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { ErrorCode } from '../../schema/errors.ts';

export interface UnavailableRequest {
  query?: string | undefined;
  variables?: Record<string, unknown> | undefined;
}

interface PathError {
  message: string;
  path?: (string | number)[];
  extensions: { code: ErrorCode; subgraph: string };
}

/** Response names selected by a selection set, for an object of `typename` (fragments expanded). */
function responseNames(
  set: SelectionSetNode,
  typename: string | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  names: Set<string> = new Set(),
  seen: Set<string> = new Set(),
): Set<string> {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename')
        names.add(selection.alias?.value ?? selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition?.name.value;
      if (!condition || !typename || condition === typename)
        responseNames(selection.selectionSet, typename, fragments, names, seen);
    } else {
      const fragment = fragments.get(selection.name.value);
      const condition = fragment?.typeCondition.name.value;
      if (fragment && !seen.has(fragment.name.value) && (!typename || condition === typename)) {
        seen.add(fragment.name.value);
        responseNames(fragment.selectionSet, typename, fragments, names, seen);
      }
    }
  }
  return names;
}

export function unavailableErrors(
  subgraph: string,
  request: UnavailableRequest,
  document?: DocumentNode,
): PathError[] {
  const message = `The ${subgraph} department did not answer; its data is missing from this response`;
  const error = (path?: (string | number)[]): PathError => ({
    message,
    ...(path ? { path } : {}),
    extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, subgraph },
  });
  let doc = document;
  try {
    doc ??= parse(request.query ?? '');
  } catch {
    return [error()];
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: SelectionSetNode | undefined;
  for (const definition of doc.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION) operation ??= definition.selectionSet;
  }
  if (!operation) return [];
  const entities = operation.selections.find(
    (s) => s.kind === Kind.FIELD && s.name.value === '_entities',
  );
  if (entities?.kind !== Kind.FIELD || !entities.selectionSet) {
    return [...responseNames(operation, undefined, fragments)].map((name) => error([name]));
  }
  const representations = request.variables?.representations;
  const errors: PathError[] = [];
  if (!Array.isArray(representations)) return errors;
  for (const [index, representation] of representations.entries()) {
    const typename = (representation as { __typename?: unknown } | null)?.__typename;
    const names = responseNames(
      entities.selectionSet,
      typeof typename === 'string' ? typename : undefined,
      fragments,
    );
    for (const name of names) errors.push(error(['_entities', index, name]));
  }
  return errors;
}
