import { normalizeSsn } from '@chartbridge/db';
import { ValidationError, isIsoDate } from '@chartbridge/kit';

// The checks a patient's demographics pass at registration and on every change, as pure functions:
// each takes what the caller typed and returns the value to store (trimmed, normalised) or the
// ValidationError naming the input path at fault. Blank optional text means "none".

/** No birth date before this is believable for a living patient. */
export const EARLIEST_BIRTH_DATE = '1900-01-01';
export const MAX_NAME_LENGTH = 100;
export const MAX_GIVEN_NAMES = 5;
export const MAX_ADDRESS_LINES = 3;
const MAX_ADDRESS_TEXT = 100;
// RFC 5321 4.5.3.1: a path holds at most 256 octets with its angle brackets, a local part at most 64.
const MAX_EMAIL_LENGTH = 254;
const MAX_EMAIL_LOCAL_PART = 64;

export interface HumanNameText {
  readonly given: readonly string[];
  readonly family: string;
}

export interface HumanNameValue {
  readonly given: readonly string[];
  readonly family: string;
}

/** An address as typed; every part optional. */
export interface AddressText {
  readonly line?: readonly string[] | null;
  readonly city?: string | null;
  readonly state?: string | null;
  readonly postalCode?: string | null;
  readonly country?: string | null;
}

export interface AddressValue {
  readonly line: readonly string[];
  readonly city: string | null;
  readonly state: string | null;
  readonly postalCode: string | null;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
}

/**
 * The practice's MRN for a number drawn from its sequence: `CB` and the number, zero-padded to eight
 * digits (the form the seed gives, `seededMrn`), longer once the numbers outgrow it.
 */
export function formatMrn(n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError('An MRN number is a positive integer');
  return `CB${String(n).padStart(8, '0')}`;
}

/** The calendar date (`YYYY-MM-DD`) at `at` in an IANA time zone: "today" at the practice. */
export function dateIn(timeZone: string, at: Date): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** Unicode NFC, trimmed, each run of blanks one space. */
function squeeze(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/gu, ' ');
}

// A name starts with a letter and holds letters (with their combining marks), spaces, apostrophes,
// hyphens and periods: O'Brien, Jean-Luc, St. John, Nguyễn. Digits and symbols are typing slips.
const NAME_PATTERN = /^\p{L}[\p{L}\p{M}'\u2019. -]*$/u;
// Free text (address parts): anything printable; control and format characters never belong there.
const PRINTABLE = /^[^\p{C}]*$/u;

function checkNamePart(raw: string, field: string, label: string): string | ValidationError {
  const value = squeeze(raw);
  if (value === '') return new ValidationError(`${label} must not be blank`, field);
  if (value.length > MAX_NAME_LENGTH) return new ValidationError(`${label} is longer than ${MAX_NAME_LENGTH} characters`, field);
  if (!NAME_PATTERN.test(value)) {
    return new ValidationError(`${label} must start with a letter and hold only letters, spaces, apostrophes, hyphens and periods`, field);
  }
  return value;
}

/** A name: one to five given names and a family name, each 1-100 characters of name text. */
export function checkName(name: HumanNameText, field: string): HumanNameValue | ValidationError {
  if (name.given.length === 0) return new ValidationError('At least one given name is required', `${field}.given`);
  if (name.given.length > MAX_GIVEN_NAMES) return new ValidationError(`At most ${MAX_GIVEN_NAMES} given names`, `${field}.given`);
  const given: string[] = [];
  for (const [index, part] of name.given.entries()) {
    const checked = checkNamePart(part, `${field}.given`, `Given name ${index + 1}`);
    if (checked instanceof ValidationError) return checked;
    given.push(checked);
  }
  const family = checkNamePart(name.family, `${field}.family`, 'The family name');
  if (family instanceof ValidationError) return family;
  return { given, family };
}

/** A birth date: a real date, not before 1900-01-01 and not after `today` (the practice's). */
export function checkBirthDate(date: string, today: string, field: string): string | ValidationError {
  if (!isIsoDate(date)) return new ValidationError('birthDate is not a date (YYYY-MM-DD)', field);
  if (date < EARLIEST_BIRTH_DATE) return new ValidationError(`birthDate must not be before ${EARLIEST_BIRTH_DATE}`, field);
  if (date > today) return new ValidationError('birthDate must not be in the future', field);
  return date;
}

/** An SSN in `AAA-GG-SSSS` form (dashes optional when typed); null when blank. */
export function checkSsn(raw: string, field: string): string | null | ValidationError {
  const text = raw.trim();
  if (text === '') return null;
  // The message never repeats the value: it may be a real SSN with a typo.
  return normalizeSsn(text) ?? new ValidationError('ssn must be nine digits, AAA-GG-SSSS, that SSA could have assigned', field);
}

const PHONE_CHARACTERS = /^\+?[0-9 ().-]+$/;

/**
 * A phone number: a North American number (ten digits, a leading 1 allowed, area code not starting
 * with 0 or 1; NANP) stored `AAA-EEE-NNNN` as the practice's records hold them, or an international
 * one typed with `+` stored in E.164 form (`+` and 8 to 15 digits, ITU-T E.164 6.1); null when blank.
 */
export function checkPhone(raw: string, field: string): string | null | ValidationError {
  const text = raw.trim();
  if (text === '') return null;
  const invalid = new ValidationError(
    'phone must be a 10-digit North American number (555-123-4567) or an international number starting with +',
    field,
  );
  if (!PHONE_CHARACTERS.test(text)) return invalid;
  const digits = text.replace(/\D/g, '');
  const international = text.startsWith('+');
  const national =
    digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : !international && digits.length === 10 ? digits : null;
  if (national !== null) {
    if (!/^[2-9]/.test(national)) return invalid;
    return `${national.slice(0, 3)}-${national.slice(3, 6)}-${national.slice(6)}`;
  }
  if (international && digits.length >= 8 && digits.length <= 15 && !digits.startsWith('0')) return `+${digits}`;
  return invalid;
}

// The HTML standard's "valid e-mail address" (WHATWG HTML 4.10.5.1.5), with a dotted domain: a
// practice's address book wants mail that can be delivered, not `user@localhost`.
const EMAIL_PATTERN =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** An e-mail address, its domain lower-cased (domains are case-insensitive, RFC 5321 2.4); null when blank. */
export function checkEmail(raw: string, field: string): string | null | ValidationError {
  const text = raw.trim();
  if (text === '') return null;
  const at = text.lastIndexOf('@');
  if (text.length > MAX_EMAIL_LENGTH || at > MAX_EMAIL_LOCAL_PART || !EMAIL_PATTERN.test(text)) {
    return new ValidationError('email must be an address like name@example.org', field);
  }
  return `${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}`;
}

// USPS state and territory abbreviations, armed forces included (USPS Publication 28, appendix B).
const US_STATES = new Set(
  (
    'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD ' +
    'TN TX UT VT VA WA WV WI WY AS GU MP PR VI UM FM MH PW AA AE AP'
  ).split(' '),
);
const US_ZIP = /^\d{5}(-\d{4})?$/;
const POSTAL_CODE = /^[A-Z0-9][A-Z0-9 -]{1,14}$/;

function freeText(raw: string | null | undefined, max: number, field: string, label: string): string | null | ValidationError {
  const value = raw === null || raw === undefined ? '' : squeeze(raw);
  if (value === '') return null;
  if (value.length > max) return new ValidationError(`${label} is longer than ${max} characters`, field);
  if (!PRINTABLE.test(value)) return new ValidationError(`${label} holds characters that cannot be printed`, field);
  return value;
}

/**
 * A postal address. Blank lines are dropped; the country defaults to `US`, where the state is a USPS
 * code and the postal code a ZIP or ZIP+4. An address with no line, city, state or postal code is
 * no address (null).
 */
export function checkAddress(address: AddressText, field: string): AddressValue | null | ValidationError {
  const line: string[] = [];
  for (const raw of address.line ?? []) {
    const checked = freeText(raw, MAX_ADDRESS_TEXT, `${field}.line`, 'An address line');
    if (checked instanceof ValidationError) return checked;
    if (checked !== null) line.push(checked);
  }
  if (line.length > MAX_ADDRESS_LINES) return new ValidationError(`At most ${MAX_ADDRESS_LINES} address lines`, `${field}.line`);
  const city = freeText(address.city, MAX_ADDRESS_TEXT, `${field}.city`, 'city');
  if (city instanceof ValidationError) return city;
  const country = (address.country ?? '').trim().toUpperCase() || 'US';
  if (!/^[A-Z]{2}$/.test(country)) return new ValidationError('country must be an ISO 3166-1 alpha-2 code, e.g. US', `${field}.country`);
  const us = country === 'US';
  const stateText = freeText(address.state, 50, `${field}.state`, 'state');
  if (stateText instanceof ValidationError) return stateText;
  const state = us && stateText !== null ? stateText.toUpperCase() : stateText;
  if (us && state !== null && !US_STATES.has(state))
    return new ValidationError('state must be a USPS state or territory code, e.g. NY', `${field}.state`);
  const postalText = (address.postalCode ?? '').trim().toUpperCase();
  const postalCode = postalText === '' ? null : postalText;
  if (postalCode !== null && !(us ? US_ZIP : POSTAL_CODE).test(postalCode)) {
    return new ValidationError(
      us ? 'postalCode must be a ZIP code, 12345 or 12345-6789' : 'postalCode must be 2 to 15 letters, digits, spaces or hyphens',
      `${field}.postalCode`,
    );
  }
  if (line.length === 0 && city === null && state === null && postalCode === null) return null;
  return { line, city, state, postalCode, country };
}
