import { randomUUID } from 'node:crypto';
import { appendAudit, inTransaction, patientSsnAad, sealedKeyId, type FieldKeyring, type PatientRow, type Sex } from '@chartbridge/db';
import {
  ForbiddenError,
  MutationError,
  NotFoundError,
  ValidationError,
  authorizeChange,
  changeRecord,
  type DataClass,
} from '@chartbridge/kit';
import type { PmsContext } from '../context.js';
import {
  findPatientsByIds,
  findPossibleDuplicates,
  insertPatientIfMrnFree,
  lockPatient,
  lockRegistrationsOf,
  nextMrnNumber,
  skipTakenMrns,
  updatePatient,
  type PatientChanges,
} from '../data/patient.repository.js';
import {
  checkAddress,
  checkBirthDate,
  checkEmail,
  checkName,
  checkPhone,
  checkSsn,
  dateIn,
  formatMrn,
  type AddressText,
  type AddressValue,
  type HumanNameText,
} from '../rules/registration.js';

/** What registration and demographics changes need from the request. */
export type RegistrationContext = Pick<
  PmsContext,
  'db' | 'access' | 'requestId' | 'keyring' | 'practiceTimeZone' | 'loaders' | 'internalToken'
>;

export interface RegisterPatientInput {
  readonly name: HumanNameText;
  readonly birthDate: string;
  readonly sex: Sex;
  readonly address: AddressText | null;
  readonly phone: string | null;
  readonly email: string | null;
  readonly ssn: string | null;
  /** Patients the front desk reviewed and confirmed are other people (see {@link PossibleDuplicatePatientError}). */
  readonly confirmedDistinctFrom: readonly string[];
}

/**
 * A change of demographics: a field left out (undefined) keeps its value; null clears an optional
 * one (address, phone, e-mail, SSN) and is refused for name, birth date and sex.
 */
export interface UpdatePatientDemographicsInput {
  readonly id: string;
  readonly name?: HumanNameText | null;
  readonly birthDate?: string | null;
  readonly sex?: Sex | null;
  readonly address?: AddressText | null;
  readonly phone?: string | null;
  readonly email?: string | null;
  readonly ssn?: string | null;
}

/**
 * Registration refused because patients with the same name and birth date are already registered:
 * the front desk looks at them and either uses the existing record or registers again naming them
 * in `confirmedDistinctFrom`. Nothing was written.
 */
export class PossibleDuplicatePatientError extends MutationError {
  readonly code = 'CONFLICT' as const;

  constructor(readonly possibleDuplicates: readonly PatientRow[]) {
    super(
      possibleDuplicates.length === 1
        ? 'A patient with the same name and birth date is already registered: check it, or confirm this is another person in confirmedDistinctFrom'
        : `${possibleDuplicates.length} patients with the same name and birth date are already registered: check them, or confirm this is another person in confirmedDistinctFrom`,
      'input.name',
    );
  }
}

const SEXES: readonly Sex[] = ['female', 'male', 'other', 'unknown'];
/** How often registration draws another MRN after finding one taken before it gives up. */
const MRN_ATTEMPTS = 5;

/**
 * Writing an SSN is its own action (`patient.ssn.write`): it takes the right to read one in full (the
 * front desk acting for operations). Its refusal names the field.
 */
async function authorizeSsn(
  ctx: RegistrationContext,
  patientId: string | null,
  attempted: readonly DataClass[],
): Promise<ForbiddenError | null> {
  const refused = await authorizeChange(ctx, 'patient.ssn.write', patientId, {
    entityType: 'patient',
    entityId: patientId,
    dataClasses: attempted,
  });
  return refused && new ForbiddenError(refused.message, 'input.ssn');
}

function sorted(classes: Iterable<DataClass>): DataClass[] {
  return [...new Set(classes)].sort();
}

function addressColumns(
  address: AddressValue | null,
): Pick<PatientChanges, 'address_lines' | 'city' | 'state' | 'postal_code' | 'country'> {
  return {
    address_lines: address ? [...address.line] : [],
    city: address?.city ?? null,
    state: address?.state ?? null,
    postal_code: address?.postalCode ?? null,
    country: address?.country ?? null,
  };
}

/** The SSN sealed for its row, the key id beside it; both null for none. */
function sealedSsn(
  keyring: FieldKeyring,
  patientId: string,
  ssn: string | null,
): { ssn_ciphertext: string | null; ssn_key_id: string | null } {
  if (ssn === null) return { ssn_ciphertext: null, ssn_key_id: null };
  const sealed = keyring.encrypt(ssn, patientSsnAad(patientId));
  return { ssn_ciphertext: sealed, ssn_key_id: sealedKeyId(sealed) };
}

/** Runs an optional text check; blank and absent are both none. */
function optional(
  raw: string | null | undefined,
  check: (text: string) => string | null | ValidationError,
): string | null | ValidationError {
  return raw === null || raw === undefined ? null : check(raw);
}

/**
 * Registers a patient (front desk) with an MRN drawn from the practice's sequence, the SSN sealed
 * under the PMS keyring and bound to the new row, and the audit record, in one transaction.
 *
 * Patients with the same family name, first given name (both case-insensitive) and birth date are
 * possible duplicates: unless every one of them is named in `confirmedDistinctFrom`, nothing is
 * written and a {@link PossibleDuplicatePatientError} lists them. A refusal of the caller is audited.
 */
export async function registerPatient(
  ctx: RegistrationContext,
  input: RegisterPatientInput,
  now: Date = new Date(),
): Promise<PatientRow | MutationError | PossibleDuplicatePatientError> {
  const ssnGiven = input.ssn !== null && input.ssn.trim() !== '';
  const attempted = sorted(['demographic', 'contact', ...(ssnGiven ? (['sensitive_identifier'] as const) : [])]);
  const refused =
    (await authorizeChange(ctx, 'patient.register', null, { entityType: 'patient', dataClasses: attempted })) ??
    (ssnGiven ? await authorizeSsn(ctx, null, attempted) : null);
  if (refused) return refused;
  const name = checkName(input.name, 'input.name');
  if (name instanceof ValidationError) return name;
  const birthDate = checkBirthDate(input.birthDate, dateIn(ctx.practiceTimeZone, now), 'input.birthDate');
  if (birthDate instanceof ValidationError) return birthDate;
  if (!SEXES.includes(input.sex)) return new ValidationError('sex is not one of FEMALE, MALE, OTHER, UNKNOWN', 'input.sex');
  const address = input.address === null ? null : checkAddress(input.address, 'input.address');
  if (address instanceof ValidationError) return address;
  const phone = optional(input.phone, (t) => checkPhone(t, 'input.phone'));
  if (phone instanceof ValidationError) return phone;
  const email = optional(input.email, (t) => checkEmail(t, 'input.email'));
  if (email instanceof ValidationError) return email;
  const ssn = optional(input.ssn, (t) => checkSsn(t, 'input.ssn'));
  if (ssn instanceof ValidationError) return ssn;
  const confirmed = new Set(input.confirmedDistinctFrom);
  const firstGiven = name.given[0] ?? '';

  return inTransaction(ctx.db, async (trx) => {
    await lockRegistrationsOf(trx, { family: name.family, birthDate });
    const duplicates = await findPossibleDuplicates(trx, { family: name.family, firstGiven, birthDate });
    if (duplicates.some((d) => !confirmed.has(d.id))) return new PossibleDuplicatePatientError(duplicates);
    const id = randomUUID();
    const row = {
      id,
      given_names: [...name.given],
      family_name: name.family,
      birth_date: birthDate,
      sex: input.sex,
      phone,
      email,
      ...addressColumns(address),
      ...sealedSsn(ctx.keyring, id, ssn),
    };
    let created: PatientRow | undefined;
    for (let attempt = 0; attempt < MRN_ATTEMPTS && !created; attempt++) {
      created = await insertPatientIfMrnFree(trx, { ...row, mrn: formatMrn(await nextMrnNumber(trx)) });
      if (!created) await skipTakenMrns(trx);
    }
    if (!created) throw new Error(`No free MRN after ${MRN_ATTEMPTS} draws`);
    const classes = sorted([
      'demographic',
      ...(phone || email || address ? (['contact'] as const) : []),
      ...(ssn ? (['sensitive_identifier'] as const) : []),
    ]);
    // The whole row (the SSN only sealed) is hashed, never its values in clear.
    await appendAudit(trx, 'pms', [
      changeRecord(ctx, {
        action: 'patient.register',
        entityType: 'patient',
        patientId: id,
        entityId: id,
        dataClasses: classes,
        before: null,
        after: created,
      }),
    ]);
    return created;
  });
}

/** Which data class each input field writes, for the audit trail. */
const FIELD_CLASS = {
  name: 'demographic',
  birthDate: 'demographic',
  sex: 'demographic',
  address: 'contact',
  phone: 'contact',
  email: 'contact',
  ssn: 'sensitive_identifier',
} as const satisfies Record<Exclude<keyof UpdatePatientDemographicsInput, 'id'>, DataClass>;

/** The changes an input asks for, checked; fields left out are left out. */
function demographicChanges(
  input: UpdatePatientDemographicsInput,
  today: string,
): { changes: PatientChanges; ssn: string | null | undefined } | ValidationError {
  const changes: PatientChanges = {};
  const { name, birthDate, sex } = input;
  for (const [field, value] of [
    ['name', name],
    ['birthDate', birthDate],
    ['sex', sex],
  ] as const) {
    if (value === null) return new ValidationError(`${field} cannot be removed, only changed`, `input.${field}`);
  }
  if (name !== undefined && name !== null) {
    const checked = checkName(name, 'input.name');
    if (checked instanceof ValidationError) return checked;
    Object.assign(changes, { given_names: [...checked.given], family_name: checked.family });
  }
  if (birthDate !== undefined && birthDate !== null) {
    const checked = checkBirthDate(birthDate, today, 'input.birthDate');
    if (checked instanceof ValidationError) return checked;
    changes.birth_date = checked;
  }
  if (sex !== undefined && sex !== null) {
    if (!SEXES.includes(sex)) return new ValidationError('sex is not one of FEMALE, MALE, OTHER, UNKNOWN', 'input.sex');
    changes.sex = sex;
  }
  if (input.address !== undefined) {
    const address = input.address === null ? null : checkAddress(input.address, 'input.address');
    if (address instanceof ValidationError) return address;
    Object.assign(changes, addressColumns(address));
  }
  if (input.phone !== undefined) {
    const phone = optional(input.phone, (t) => checkPhone(t, 'input.phone'));
    if (phone instanceof ValidationError) return phone;
    changes.phone = phone;
  }
  if (input.email !== undefined) {
    const email = optional(input.email, (t) => checkEmail(t, 'input.email'));
    if (email instanceof ValidationError) return email;
    changes.email = email;
  }
  let ssn: string | null | undefined;
  if (input.ssn !== undefined) {
    const checked = optional(input.ssn, (t) => checkSsn(t, 'input.ssn'));
    if (checked instanceof ValidationError) return checked;
    ssn = checked;
  }
  return { changes, ssn };
}

/**
 * Changes a registered patient's demographics (front desk): only the fields given, under a lock on
 * the row so two desks changing different fields at once both keep their change; the audit record
 * holds the row's hashes before and after. The MRN never changes. Changing or clearing the SSN takes
 * the right to read it in full. An unknown id is NOT_FOUND; a refusal of the caller is audited.
 */
export async function updatePatientDemographics(
  ctx: RegistrationContext,
  input: UpdatePatientDemographicsInput,
  now: Date = new Date(),
): Promise<PatientRow | MutationError> {
  const { id } = input;
  const given = (Object.keys(FIELD_CLASS) as Array<keyof typeof FIELD_CLASS>).filter((field) => input[field] !== undefined);
  const classes = sorted(given.map((field) => FIELD_CLASS[field]));
  const [patient] = await findPatientsByIds(ctx.db, [id]);
  const target = { entityType: 'patient', entityId: id, dataClasses: classes };
  const refused =
    (await authorizeChange(ctx, 'patient.update', patient?.id ?? null, target)) ??
    (input.ssn !== undefined ? await authorizeSsn(ctx, patient?.id ?? null, classes) : null);
  if (refused) return refused;
  if (!patient) return new NotFoundError(`Patient ${id} was not found`, 'input.id');
  if (given.length === 0) return new ValidationError('Give at least one field to change', 'input');
  const checked = demographicChanges(input, dateIn(ctx.practiceTimeZone, now));
  if (checked instanceof ValidationError) return checked;

  return inTransaction(ctx.db, async (trx) => {
    const before = await lockPatient(trx, id);
    if (!before) return new NotFoundError(`Patient ${id} was not found`, 'input.id');
    const changes = checked.ssn === undefined ? checked.changes : { ...checked.changes, ...sealedSsn(ctx.keyring, id, checked.ssn) };
    const after = await updatePatient(trx, id, changes);
    await appendAudit(trx, 'pms', [
      changeRecord(ctx, {
        action: 'patient.update',
        entityType: 'patient',
        patientId: id,
        entityId: id,
        dataClasses: classes,
        before,
        after,
      }),
    ]);
    return after;
  });
}
