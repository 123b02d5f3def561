import {
  Kind,
  getNamedType,
  isInterfaceType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/**
 * GraphQL Armor's cost model, which the gateway's limit used as a validation rule: 2 per object
 * (a field with a selection, an inline fragment, a fragment), 1 per scalar field or fragment spread,
 * each level of nesting weighing 1.5 times the one above, a field's whole cost multiplied by the
 * list size it asks for, and `__schema` free. Kept number for number, so the limit's meaning and
 * its messages did not change.
 */
const OBJECT_COST = 2;
const SCALAR_COST = 1;
const DEPTH_COST_FACTOR = 1.5;

/** The arguments that size a list (Relay's). The first one a field is given counts, as in Armor. */
export const LIST_SIZE_ARGUMENTS: ReadonlySet<string> = new Set(['first', 'last']);

/** The page sizes a subgraph applies (the kit's `pageRequest`): a list is counted as the size it will have. */
export interface ListSizes {
  /** What a list field returns when not told its size (no `first`, or `first: null`). */
  readonly defaultSize: number;
  /** The largest size a list field accepts: what a size the gateway cannot read counts as. */
  readonly maxSize: number;
}

type Variables = Readonly<Record<string, unknown>>;

/** A list size a caller gave, if it is a whole number; Armor's literal rule: at least 1. */
function sizeOf(value: number): number {
  return Math.max(value, 1);
}

/** The size a field will be asked for when the argument is absent or null: its schema default, else the page default. */
function absentSize(field: GraphQLField<unknown, unknown> | undefined, sizes: ListSizes): number {
  const argument = field?.args.find((arg) => LIST_SIZE_ARGUMENTS.has(arg.name));
  if (!argument) return 1;
  const fallback = argument.defaultValue;
  return typeof fallback === 'number' && Number.isInteger(fallback) ? sizeOf(fallback) : sizes.defaultSize;
}

/** The list size a literal asks for; null for `null` (the field's default applies). */
function literalSize(value: ValueNode, sizes: ListSizes): number | null {
  if (value.kind === Kind.INT) return sizeOf(Number.parseInt(value.value, 10));
  if (value.kind === Kind.NULL) return null;
  return sizes.maxSize;
}

/**
 * The list size a field asks for: a literal as written; a variable as given (when absent, its
 * default in the operation; absent or null, the field's default); a value that is no whole number
 * counts as the largest page. A field that takes a size and is given none counts its default.
 */
function multiplierOf(
  node: FieldNode,
  field: GraphQLField<unknown, unknown> | undefined,
  operation: OperationDefinitionNode,
  variables: Variables,
  sizes: ListSizes,
): number {
  const argument = node.arguments?.find((arg) => LIST_SIZE_ARGUMENTS.has(arg.name.value));
  if (!argument) return absentSize(field, sizes);
  const { value } = argument;
  if (value.kind !== Kind.VARIABLE) return literalSize(value, sizes) ?? absentSize(field, sizes);
  const name = value.name.value;
  if (Object.hasOwn(variables, name)) {
    const given = variables[name];
    if (given === null) return absentSize(field, sizes);
    return typeof given === 'number' && Number.isInteger(given) ? sizeOf(given) : sizes.maxSize;
  }
  const definition = operation.variableDefinitions?.find((d) => d.variable.name.value === name);
  const fallback = definition?.defaultValue ? literalSize(definition.defaultValue, sizes) : null;
  return fallback ?? absentSize(field, sizes);
}

/** The fields a selection on `type` may name: an object's or an interface's own; a union has none but `__typename`. */
function fieldOf(type: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  return type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[name] : undefined;
}

/**
 * The cost of running `operation` with `variables`, in Armor's model (see {@link OBJECT_COST}), with
 * list sizes read from variables as from literals and absent sizes counted as the list's default.
 * Assumes a validated document (no fragment cycles); unknown fields and fragments cost as Armor
 * counts them, without a size.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Variables,
  sizes: ListSizes,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  // A fragment's cost does not depend on where it is spread: each is walked once.
  const fragmentCosts = new Map<string, number>();

  const selectionSetCost = (selectionSet: SelectionSetNode, type: GraphQLNamedType | undefined): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        cost += DEPTH_COST_FACTOR * fieldCost(selection, type);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        cost += DEPTH_COST_FACTOR * (OBJECT_COST + selectionSetCost(selection.selectionSet, on));
      } else {
        cost += DEPTH_COST_FACTOR * (SCALAR_COST + DEPTH_COST_FACTOR * fragmentCost(selection.name.value));
      }
    }
    return cost;
  };

  const fragmentCost = (name: string): number => {
    const known = fragmentCosts.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    const cost = fragment ? OBJECT_COST + selectionSetCost(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value)) : 0;
    fragmentCosts.set(name, cost);
    return cost;
  };

  const fieldCost = (node: FieldNode, parent: GraphQLNamedType | undefined): number => {
    if (node.name.value === '__schema') return 0;
    if (!node.selectionSet) return SCALAR_COST;
    const field = fieldOf(parent, node.name.value);
    const type = field ? getNamedType(field.type) : undefined;
    return (OBJECT_COST + selectionSetCost(node.selectionSet, type)) * multiplierOf(node, field, operation, variables, sizes);
  };

  // The operation's own selections are not weighed by depth: Armor starts its factor below them.
  const root = schema.getRootType(operation.operation) ?? undefined;
  let cost = 0;
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind === Kind.FIELD) cost += fieldCost(selection, root);
    else if (selection.kind === Kind.INLINE_FRAGMENT) cost += OBJECT_COST + selectionSetCost(selection.selectionSet, root);
    else cost += SCALAR_COST + DEPTH_COST_FACTOR * fragmentCost(selection.name.value);
  }
  return cost;
}
