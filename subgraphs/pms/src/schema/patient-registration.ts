import { mutationErrorTypes, mutationResult } from '@chartbridge/kit';
import { builder } from '../builder.js';
import { PossibleDuplicatePatientError, registerPatient, updatePatientDemographics } from '../services/registration.service.js';
import { Patient, Sex } from './patient.js';

const errors = mutationErrorTypes(builder);

const HumanNameInput = builder.inputType('HumanNameInput', {
  description: "A person's name as typed: given names in order and the family name.",
  fields: (t) => ({
    given: t.stringList({
      required: true,
      description:
        'One to five given names, each 1-100 characters: letters, spaces, apostrophes, hyphens and periods, starting with a letter.',
    }),
    family: t.string({ required: true, description: 'The family name, 1-100 characters of the same kind.' }),
  }),
});

const AddressInput = builder.inputType('AddressInput', {
  description: 'A postal address as typed. With no line, city, state or postal code it is no address.',
  fields: (t) => ({
    line: t.stringList({ description: 'Up to 3 lines of at most 100 characters; blank lines are dropped.' }),
    city: t.string({ description: 'At most 100 characters.' }),
    state: t.string({ description: 'In the US, a USPS code such as `NY`.' }),
    postalCode: t.string({ description: 'In the US, a ZIP code (`12345` or `12345-6789`).' }),
    country: t.string({ description: 'ISO 3166-1 alpha-2 code; default `US`.' }),
  }),
});

const RegisterPatientInput = builder.inputType('RegisterPatientInput', {
  fields: (t) => ({
    name: t.field({ type: HumanNameInput, required: true }),
    birthDate: t.field({ type: 'Date', required: true, description: 'Not before 1900-01-01 nor after today at the practice.' }),
    sex: t.field({ type: Sex, required: true }),
    address: t.field({ type: AddressInput }),
    phone: t.string({
      description: 'A 10-digit North American number (stored `555-123-4567`) or an international one starting with `+` (stored E.164).',
    }),
    email: t.string({ description: 'An address like `name@example.org`.' }),
    ssn: t.string({
      description:
        'Social Security number, `AAA-GG-SSSS` (dashes optional). Sealed at rest; giving one takes the right to read it in full (the front desk acting for OPERATIONS).',
    }),
    confirmedDistinctFrom: t.idList({
      description:
        'Patients a `PossibleDuplicatePatientError` listed that the front desk checked and found to be other people. Registration goes ahead only when every possible duplicate is named here.',
    }),
  }),
});

const UpdatePatientDemographicsInput = builder.inputType('UpdatePatientDemographicsInput', {
  description:
    'A change of demographics: a field left out keeps its value; `null` clears address, phone, email or ssn, and is refused for name, birthDate and sex. Each field follows the rules of `RegisterPatientInput`.',
  fields: (t) => ({
    id: t.id({ required: true, description: "The patient's id." }),
    name: t.field({ type: HumanNameInput, description: 'Replaces the whole name.' }),
    birthDate: t.field({ type: 'Date' }),
    sex: t.field({ type: Sex }),
    address: t.field({ type: AddressInput, description: 'Replaces the whole address.' }),
    phone: t.string(),
    email: t.string(),
    ssn: t.string({ description: 'Changing or clearing it takes the right to read it in full.' }),
  }),
});

const PossibleDuplicatePatient = builder.objectRef<PossibleDuplicatePatientError>('PossibleDuplicatePatientError').implement({
  description:
    'Registration refused (`CONFLICT`, field `input.name`): patients with the same family name, first given name (both case-insensitive) ' +
    'and birth date are already registered. Nothing was written. Use the existing record, or register again naming them in ' +
    '`confirmedDistinctFrom`. The list lives on this answer to the registering desk alone, never on `Patient`: each listed ' +
    "patient's fields follow the caller's data classes and are audited as an access.",
  interfaces: [errors.Error],
  isTypeOf: (value) => value instanceof PossibleDuplicatePatientError,
  fields: (t) => ({
    possibleDuplicates: t.field({
      type: [Patient],
      nullable: false,
      dataClass: 'reference',
      description: 'The registered patients who may be the same person, oldest registration first (at most 10).',
      resolve: (error) => [...error.possibleDuplicates],
    }),
  }),
});

const RegisterPatientResult = mutationResult(builder, 'RegisterPatientResult', Patient, {
  description: 'The registered patient, or why nothing was registered.',
  errors: [[PossibleDuplicatePatient, PossibleDuplicatePatientError]],
});

builder.mutationFields((t) => ({
  registerPatient: t.field({
    type: RegisterPatientResult,
    nullable: false,
    dataClass: 'reference',
    writes: 'patient.register',
    description:
      'Registers a patient (front desk) with an MRN the practice assigns (`CB` and eight digits). Possible duplicates (same name and ' +
      'birth date) refuse it with a `PossibleDuplicatePatientError` until `confirmedDistinctFrom` names them. Audited; a bad input changes nothing.',
    args: { input: t.arg({ type: RegisterPatientInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      registerPatient(ctx, {
        name: input.name,
        birthDate: input.birthDate,
        sex: input.sex,
        address: input.address ?? null,
        phone: input.phone ?? null,
        email: input.email ?? null,
        ssn: input.ssn ?? null,
        confirmedDistinctFrom: input.confirmedDistinctFrom ?? [],
      }),
  }),
  updatePatientDemographics: t.field({
    type: mutationResult(builder, 'UpdatePatientDemographicsResult', Patient),
    nullable: false,
    dataClass: 'reference',
    writes: 'patient.update',
    description:
      "Changes a patient's demographics (front desk): only the fields given, the MRN never. Audited with the row's hashes before and after; an unknown id is NOT_FOUND.",
    args: { input: t.arg({ type: UpdatePatientDemographicsInput, required: true }) },
    resolve: (_root, { input }, ctx) => updatePatientDemographics(ctx, input),
  }),
}));
