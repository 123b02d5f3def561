import type { NoteKind } from '@chartbridge/db';

/**
 * The kinds of note whose text is restricted (`sensitive_clinical`: opened only by breaking the
 * glass). The one source of "restricted": the schema's `sensitiveWhen` of a note's text and of its
 * addenda, and the rule below that changing a note's kind may raise its protection freely but lowers
 * it only with the glass (`note.declassify`).
 */
const RESTRICTED_KINDS: ReadonlySet<NoteKind> = new Set<NoteKind>(['behavioral_health']);

export function isRestrictedKind(kind: NoteKind): boolean {
  return RESTRICTED_KINDS.has(kind);
}

/** Whether changing a note's kind from `from` to `to` would leave its text less protected. */
export function lowersProtection(from: NoteKind, to: NoteKind): boolean {
  return isRestrictedKind(from) && !isRestrictedKind(to);
}
