import type { DataClass, DataClassExtension } from '@chartbridge/kit';
import {
  Kind,
  getNamedType,
  isObjectType,
  type GraphQLObjectType,
  type SelectionNode,
  parse,
  visit,
  type ConstDirectiveNode,
  type ConstValueNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type GraphQLSchema,
} from 'graphql';
import { classifiedFields } from './policy-manifest.js';

/** Fields reserved to a role whatever the data class says, for engines that check scopes. */
const ROLE_SCOPED_FIELDS: Readonly<Record<string, string>> = { 'Query.auditEvents': 'role:compliance' };

const list = (values: readonly ConstValueNode[]): ConstValueNode => ({ kind: Kind.LIST, values });
const str = (value: string): ConstValueNode => ({ kind: Kind.STRING, value });

/** `@name(argument: [[values...]])`: one requirement made of all the values (AND). */
function directive(name: string, argument: string, ...values: string[]): ConstDirectiveNode {
  return {
    kind: Kind.DIRECTIVE,
    name: { kind: Kind.NAME, value: name },
    arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: argument }, value: list([list(values.map(str))]) }],
  };
}

/**
 * The classes of the fields a field `@requires`, nested selections included (`patient { birthDate }`
 * reads `Patient.birthDate`), as their owners declare them. Federation refuses a field that reads,
 * through `@requires`, data its own requirements do not cover, so the field must carry them too.
 */
function requiredClasses(
  node: FieldDefinitionNode,
  typeName: string,
  schema: GraphQLSchema,
  ownerClasses: ReadonlyMap<string, DataClass>,
): DataClass[] {
  const requires = node.directives?.find((d) => d.name.value === 'requires')?.arguments?.find((a) => a.name.value === 'fields')?.value;
  const parent = schema.getType(typeName);
  if (requires?.kind !== Kind.STRING || !isObjectType(parent)) return [];
  const selection = parse(`{ ${requires.value} }`).definitions[0];
  if (selection?.kind !== Kind.OPERATION_DEFINITION) return [];
  const found: DataClass[] = [];
  const walk = (selections: readonly SelectionNode[], type: GraphQLObjectType): void => {
    for (const s of selections) {
      if (s.kind !== Kind.FIELD) continue;
      const dataClass = ownerClasses.get(`${type.name}.${s.name.value}`);
      if (dataClass) found.push(dataClass);
      const fieldType = type.getFields()[s.name.value]?.type;
      const named = fieldType ? getNamedType(fieldType) : undefined;
      if (s.selectionSet && isObjectType(named)) walk(s.selectionSet.selections, named);
    }
  };
  walk(selection.selectionSet.selections, parent);
  return found;
}

/**
 * The router flavour of a subgraph's SDL: every classified field carries `@policy(policies:
 * [["data_class:<class>"]])` and role-reserved fields `@requiresScopes`, so Apollo Router or Hive
 * Gateway can enforce the same policy at the edge (a policy coprocessor decides `data_class:*` from
 * the caller's role and purpose as docs/SECURITY.md describes). @apollo/gateway refuses these
 * directives, so it keeps loading the plain supergraph. A field with `@requires` also needs the
 * classes of the fields it requires (AND): `ownerClasses` maps every subgraph's classified fields
 * (`Type.field`, non-`reference` classes) to their owners' classes.
 */
export function withPolicyDirectives(
  sdl: string,
  schema: GraphQLSchema,
  ownerClasses: ReadonlyMap<string, DataClass> = new Map(),
): DocumentNode {
  const classes = classifiedFields(schema);
  let typeName = '';
  return visit(parse(sdl), {
    ObjectTypeDefinition: { enter: (node) => void (typeName = node.name.value) },
    ObjectTypeExtension: { enter: (node) => void (typeName = node.name.value) },
    FieldDefinition(node): FieldDefinitionNode {
      const key = `${typeName}.${node.name.value}`;
      const ext: DataClassExtension | undefined = classes.get(key);
      const added: ConstDirectiveNode[] = [];
      if (ext && ext.dataClass !== 'reference') {
        const classes = new Set([ext.dataClass, ...requiredClasses(node, typeName, schema, ownerClasses)]);
        added.push(directive('policy', 'policies', ...[...classes].map((c) => `data_class:${c}`)));
      }
      const scope = ROLE_SCOPED_FIELDS[key];
      if (scope) added.push(directive('requiresScopes', 'scopes', scope));
      return added.length ? { ...node, directives: [...(node.directives ?? []), ...added] } : node;
    },
    Directive(node) {
      // Import the two directives from the federation spec the subgraph already links.
      if (node.name.value !== 'link') return undefined;
      return {
        ...node,
        arguments: node.arguments?.map((arg) =>
          arg.name.value === 'import' && arg.value.kind === Kind.LIST
            ? { ...arg, value: { ...arg.value, values: [...arg.value.values, str('@policy'), str('@requiresScopes')] } }
            : arg,
        ),
      };
    },
  });
}
