import { isUuid } from '@chartbridge/kit';

/** Escapes `%`, `_` and `\` so user text matches literally inside a LIKE pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Ids that can be sent to a `uuid` column; others cannot match any row and are dropped. */
export function uuidsOnly(ids: readonly string[]): string[] {
  return ids.filter(isUuid);
}
