/**
 * Measures an operation before anything runs it: nesting depth, aliases, root fields and an
 * estimated cost. Fragments are expanded (each named fragment is measured once and reused, so a
 * "fragment bomb" costs linear time to measure, while its expanded size is what is judged), and
 * cycles, unknown fragments and unknown fields are tolerated because this runs before validation.
 *
 * The cost model (Apollo Router's demand-control idea): a field that returns an object costs 1
 * plus its selection; a leaf costs 0; a list multiplies its item's cost by its size, which is the
 * length of a list argument named in `sizeArguments` (`persons(ids)`: one per id), or the value of
 * such an Int argument (`first`), or its schema default, or else `assumedListSize`. Introspection
 * fields count as one field of cost 1: INTROSPECTION decides whether they may run at all.
 */
import {
  Kind,
  getNamedType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface OperationShape {
  depth: number;
  aliases: number;
  rootFields: number;
  cost: number;
}

export interface ShapeOptions {
  assumedListSize: number;
  /** Arguments that size a list: list arguments by their length, Int arguments by value. */
  sizeArguments?: readonly string[];
}

export const DEFAULT_SIZE_ARGUMENTS = ['ids', 'first', 'last', 'limit'];

interface SelectionMeasure {
  depth: number;
  aliases: number;
  cost: number;
  fields: number;
}

const ZERO: SelectionMeasure = { depth: 0, aliases: 0, cost: 0, fields: 0 };

function isList(type: GraphQLOutputType): boolean {
  const inner = isNonNullType(type) ? type.ofType : type;
  return isListType(inner);
}

export class ShapeMeter {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly measured = new Map<string, SelectionMeasure>();
  private readonly inProgress = new Set<string>();
  private readonly sizeArguments: readonly string[];

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    private readonly variables: Record<string, unknown>,
    private readonly options: ShapeOptions,
  ) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION)
        this.fragments.set(definition.name.value, definition);
    }
    this.sizeArguments = options.sizeArguments ?? DEFAULT_SIZE_ARGUMENTS;
  }

  measure(operation: OperationDefinitionNode): OperationShape {
    const root = this.schema.getRootType(operation.operation) ?? undefined;
    const measure = this.selectionSet(operation.selectionSet, root);
    return {
      depth: measure.depth,
      aliases: measure.aliases,
      rootFields: measure.fields,
      cost: measure.cost,
    };
  }

  private selectionSet(
    set: SelectionSetNode,
    parent: GraphQLCompositeType | undefined,
  ): SelectionMeasure {
    const total = { ...ZERO };
    const add = (m: SelectionMeasure) => {
      total.depth = Math.max(total.depth, m.depth);
      total.aliases += m.aliases;
      total.cost += m.cost;
      total.fields += m.fields;
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) add(this.field(selection, parent));
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? this.compositeType(selection.typeCondition.name.value)
          : parent;
        add(this.selectionSet(selection.selectionSet, type));
      } else add(this.fragment(selection.name.value));
    }
    return total;
  }

  private fragment(name: string): SelectionMeasure {
    const known = this.measured.get(name);
    if (known) return known;
    const definition = this.fragments.get(name);
    // Unknown fragments and cycles are validation errors; they add nothing here.
    if (!definition || this.inProgress.has(name)) return ZERO;
    this.inProgress.add(name);
    const measure = this.selectionSet(
      definition.selectionSet,
      this.compositeType(definition.typeCondition.name.value),
    );
    this.inProgress.delete(name);
    this.measured.set(name, measure);
    return measure;
  }

  private field(node: FieldNode, parent: GraphQLCompositeType | undefined): SelectionMeasure {
    const aliased = node.alias ? 1 : 0;
    if (node.name.value === '__typename') return { depth: 1, aliases: aliased, cost: 0, fields: 0 };
    // Introspection (__schema, __type) is governed by INTROSPECTION, not by these limits: the
    // explorer's own introspection query nests 15 deep.
    if (node.name.value.startsWith('__')) return { depth: 1, aliases: aliased, cost: 1, fields: 1 };
    const definition =
      parent && (isObjectType(parent) || isInterfaceType(parent))
        ? parent.getFields()[node.name.value]
        : undefined;
    if (!node.selectionSet) return { depth: 1, aliases: aliased, cost: 0, fields: 1 };
    const type = definition ? getNamedType(definition.type) : undefined;
    const inner = this.selectionSet(
      node.selectionSet,
      type && isCompositeType(type) ? type : undefined,
    );
    const size = definition && isList(definition.type) ? this.listSize(node, definition) : 1;
    return {
      depth: inner.depth + 1,
      aliases: inner.aliases + aliased,
      cost: size * (1 + inner.cost),
      fields: 1,
    };
  }

  /** The size a list field will have, from its size arguments or the assumption. */
  private listSize(node: FieldNode, definition: GraphQLField<unknown, unknown>): number {
    for (const name of this.sizeArguments) {
      const argument = definition.args.find((a) => a.name === name);
      if (!argument) continue;
      const given = node.arguments?.find((a) => a.name.value === name);
      const value = given
        ? valueFromASTUntyped(given.value, this.variables)
        : argument.defaultValue;
      if (Array.isArray(value)) return Math.max(1, value.length);
      if (typeof value === 'number' && Number.isFinite(value)) return Math.max(1, value);
    }
    return this.options.assumedListSize;
  }

  private compositeType(name: string): GraphQLCompositeType | undefined {
    const type = this.schema.getType(name);
    return type && isCompositeType(type) ? type : undefined;
  }
}
