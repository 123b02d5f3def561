import { badUserInput } from './errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in canonical text form, the shape of every entity id. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * Checks an id argument before it reaches SQL; a malformed one is the caller's error
 * (`BAD_USER_INPUT` naming `field`), never a database error.
 */
export function parseId(value: string, field: string): string {
  if (!isUuid(value)) throw badUserInput(`${field} is not a valid id`, field);
  return value.toLowerCase();
}
