import type { CodeSystem } from '../tables/ehr-coding.tables.js';

export interface ReferenceCode {
  readonly code: string;
  readonly description: string;
}

export type ReleaseFormat = 'icd10cm-codes' | 'icd10cm-order' | 'hcpcs-anweb' | 'tsv';

export class ReleaseFormatError extends Error {
  override readonly name = 'ReleaseFormatError';
}

/** ICD-10-CM codes are published without their dot; it goes after the third character. */
function dotted(code: string): string {
  return code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code;
}

/**
 * Guesses a release file's layout from its first lines:
 * - `icd10cm-order`: CMS's "order" file, fixed width: order number (5), code (7), a 0/1 flag for
 *   header/billable, short and long descriptions;
 * - `icd10cm-codes`: CMS's "codes" file, a code and its description per line;
 * - `hcpcs-anweb`: CMS's HCPCS annual file, fixed width: code (1-5), sequence (6-10), record id
 *   (11; 3 = first line of a procedure, 4 = continuation, 7/8 = modifiers), long description (12-91);
 * - `tsv`: `code<TAB>description`, for anything else.
 */
export function detectFormat(system: CodeSystem, sample: readonly string[]): ReleaseFormat {
  const lines = sample.filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new ReleaseFormatError('The file is empty');
  if (lines.every((l) => l.includes('\t'))) return 'tsv';
  if (system === 'icd10cm') return lines.every((l) => /^\d{5} [A-Z0-9]{3,7}\s+[01] /.test(l)) ? 'icd10cm-order' : 'icd10cm-codes';
  // Modifiers are two characters padded to five.
  if (lines.every((l) => /^[A-Z0-9][A-Z0-9 ]{4}\d{5}[0-9]/.test(l))) return 'hcpcs-anweb';
  throw new ReleaseFormatError('Unrecognized HCPCS file: expected the fixed-width annual file or code<TAB>description lines');
}

/**
 * Parses a release file's lines into codes with descriptions. Only codes valid for billing are kept
 * where the file says (the order file's header rows are not codes one may report). Pure; throws
 * {@link ReleaseFormatError} naming the first line it cannot read.
 */
export function parseRelease(system: CodeSystem, format: ReleaseFormat, lines: Iterable<string>): ReferenceCode[] {
  const codes: ReferenceCode[] = [];
  let lineNumber = 0;
  let current: { code: string; description: string } | undefined;
  const bad = (why: string) => new ReleaseFormatError(`line ${lineNumber}: ${why}`);
  for (const raw of lines) {
    lineNumber += 1;
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    switch (format) {
      case 'tsv': {
        const [code, description] = line.split('\t');
        if (!code?.trim() || !description?.trim()) throw bad('expected code<TAB>description');
        const normalized = code.trim().toUpperCase();
        codes.push({ code: system === 'icd10cm' ? dotted(normalized.replace('.', '')) : normalized, description: description.trim() });
        break;
      }
      case 'icd10cm-codes': {
        const [, code, description] = /^([A-Z0-9]{3,7})\s+(.+)$/.exec(line) ?? [];
        if (!code || !description) throw bad('expected a code and its description');
        codes.push({ code: dotted(code), description: description.trim() });
        break;
      }
      case 'icd10cm-order': {
        const [, code, billable, , description] = /^\d{5} ([A-Z0-9]{3,7})\s+([01]) (.{60}) (.+)$/.exec(line) ?? [];
        if (!code || !description) throw bad('expected the ICD-10-CM order file layout');
        if (billable === '1') codes.push({ code: dotted(code), description: description.trim() });
        break;
      }
      case 'hcpcs-anweb': {
        const code = line.slice(0, 5).trim();
        const record = line.charAt(10);
        const text = line.slice(11, 91).trim();
        // Records 7 and 8 describe modifiers, not codes.
        if (record === '7' || record === '8') break;
        if (!/^[A-Z0-9]{5}$/.test(code)) throw bad('expected a five-character HCPCS code in columns 1-5');
        if (record === '3') {
          if (current) codes.push(current);
          current = { code, description: text };
        } else if (record === '4' && current?.code === code) {
          current.description = `${current.description} ${text}`.trim();
        }
        break;
      }
    }
  }
  if (current) codes.push(current);
  return codes;
}
