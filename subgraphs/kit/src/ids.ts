import { getNamedType, isInputObjectType, isListType, isNonNullType, type GraphQLArgument, type GraphQLInputType } from 'graphql';
import { badUserInput } from './errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in canonical text form, the shape of every entity id. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Ids that can be sent to a `uuid` column; others cannot match any row and are dropped. */
export function uuidsOnly(ids: readonly string[]): string[] {
  return ids.filter(isUuid);
}

/**
 * Checks an id argument before it reaches SQL; a malformed one is the caller's error
 * (`BAD_USER_INPUT` naming `field`), never a database error.
 */
export function parseId(value: string, field: string): string {
  if (!isUuid(value)) throw badUserInput(`${field} is not a valid id`, field);
  return value.toLowerCase();
}

/** An id argument that is not a UUID: the input path at fault and the field's name. */
export interface InvalidId {
  readonly path: string;
  readonly name: string;
}

/**
 * Checks every `ID` in a mutation's arguments at the edge, once for all mutations: returns the first
 * that is not a UUID (a list of ids is named by its field; a list of inputs by each item's index), and
 * turns the valid ones to lower case in place, so services neither check nor normalize them again.
 */
export function checkIdArguments(args: Record<string, unknown>, definitions: readonly GraphQLArgument[]): InvalidId | null {
  for (const arg of definitions) {
    const invalid = checkIds(arg.type, args, arg.name, arg.name);
    if (invalid) return invalid;
  }
  return null;
}

function checkIds(
  type: GraphQLInputType,
  holder: Record<string, unknown> | unknown[],
  key: string | number,
  path: string,
): InvalidId | null {
  const value = (holder as Record<string | number, unknown>)[key];
  if (value === null || value === undefined) return null;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    if (!Array.isArray(value)) return null;
    const item = isNonNullType(inner.ofType) ? inner.ofType.ofType : inner.ofType;
    const itemPath = (i: number) => (isInputObjectType(item) ? `${path}.${i}` : path);
    for (let i = 0; i < value.length; i++) {
      const invalid = checkIds(inner.ofType, value, i, itemPath(i));
      if (invalid) return invalid;
    }
    return null;
  }
  if (isInputObjectType(inner)) {
    if (typeof value !== 'object') return null;
    for (const field of Object.values(inner.getFields())) {
      const invalid = checkIds(field.type, value as Record<string, unknown>, field.name, `${path}.${field.name}`);
      if (invalid) return invalid;
    }
    return null;
  }
  if (getNamedType(inner).name !== 'ID' || typeof value !== 'string') return null;
  if (!isUuid(value))
    return {
      path,
      name:
        path
          .split('.')
          .filter((p) => !/^\d+$/.test(p))
          .at(-1) ?? path,
    };
  (holder as Record<string | number, unknown>)[key] = value.toLowerCase();
  return null;
}
