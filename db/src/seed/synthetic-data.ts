import { Faker, en, en_US } from '@faker-js/faker';
import { npiCheckDigit } from '../codes/npi.js';
import type { NewAllergy, NewClinicalNote } from '../tables/ehr.tables.js';
import type { EncounterStatus, NewConsent, NewCoverage, NewEncounter, NewPatient, NewProvider, Sex } from '../tables/pms.tables.js';

/** The seeded practice's site, its rooms and its providers' weekly hours. */
export interface SeedSchedule {
  readonly locations: Array<{ id: string; name: string }>;
  readonly rooms: Array<{ id: string; location_id: string; name: string }>;
  readonly availability: Array<{
    id: string;
    provider_id: string;
    location_id: string;
    weekday: number;
    start_time: string;
    end_time: string;
  }>;
}

/** A provider row with its id chosen by the generator. */
export type SeedProvider = NewProvider & { id: string };
/** A patient row with its id chosen by the generator. */
export type SeedPatient = NewPatient & { id: string };

/** A patient's SSN in clear, as generated: `seedDatabase` seals it before it reaches a row. */
export interface SeedSsn {
  readonly patientId: string;
  /** `AAA-GG-SSSS`, a number SSA could have assigned (see `normalizeSsn`). */
  readonly ssn: string;
}

/** One slice of the synthetic dataset: a batch of patients and everything that hangs off them. */
export interface SyntheticBatch {
  readonly patients: SeedPatient[];
  readonly encounters: NewEncounter[];
  readonly allergies: NewAllergy[];
  readonly notes: NewClinicalNote[];
  /** The SSNs of this batch's patients who have one. */
  readonly ssns: SeedSsn[];
  /** Partner consents, about one patient in eight; some revoked. */
  readonly consents: NewConsent[];
  /** A primary coverage for about four patients in five. */
  readonly coverages: NewCoverage[];
}

export interface SyntheticDataOptions {
  readonly patients: number;
  readonly seed: number;
  /** Patients per batch; does not change the data, only how it is chunked. */
  readonly batchSize?: number;
  /** The day the synthetic history ends on (encounters fall in the two years before it). */
  readonly today?: string;
}

const SPECIALTIES = ['Family Medicine', 'Internal Medicine', 'Pediatrics', 'Cardiology', 'Dermatology', 'Psychiatry'];

// Common allergens with their class; the reactions are what a chart would record for them.
const ALLERGENS: ReadonlyArray<readonly [substance: string, reactions: readonly string[]]> = [
  ['Penicillin', ['Hives', 'Rash', 'Anaphylaxis']],
  ['Amoxicillin', ['Rash', 'Hives']],
  ['Sulfamethoxazole', ['Rash', 'Stevens-Johnson syndrome']],
  ['Aspirin', ['Bronchospasm', 'Hives']],
  ['Ibuprofen', ['Angioedema', 'Hives']],
  ['Codeine', ['Nausea', 'Pruritus']],
  ['Peanut', ['Anaphylaxis', 'Throat swelling']],
  ['Shellfish', ['Hives', 'Anaphylaxis']],
  ['Latex', ['Contact dermatitis']],
  ['Egg', ['Hives', 'Vomiting']],
];

const COMPLAINTS = [
  'cough for five days',
  'follow-up of hypertension',
  'annual physical',
  'low back pain after lifting',
  'sore throat and fever',
  'diabetes follow-up',
  'rash on both forearms',
  'headaches for two weeks',
  'knee pain when climbing stairs',
  'medication review',
];

const SEXES: readonly Sex[] = ['female', 'male', 'female', 'male', 'other', 'unknown'];

// SSNs are drawn from a random stream of their own, seeded with the seed and this tag (ASCII "SSN"),
// so adding them changed no other value of an existing seed's practice.
const SSN_STREAM = 0x53_53_4e;
// Consents have a stream of their own too, so adding them changed no other seeded value.
const CONSENT_STREAM = 0x43_4f_4e;
// Scheduling (locations, rooms, hours) too: ASCII "SCH".
const SCHEDULE_STREAM = 0x53_43_48;
// Insurance (payers, coverages) too: ASCII "COV".
const COVERAGE_STREAM = 0x43_4f_56;

/** A payer row with its id chosen by the generator. */
export type SeedPayer = { id: string; payer_id: string; name: string };

/** The synthetic practice's payers: fictional names, made-up electronic ids. */
const PAYERS: ReadonlyArray<{ readonly payer_id: string; readonly name: string }> = [
  { payer_id: 'NWH01', name: 'Northwind Health Plan' },
  { payer_id: 'EVM02', name: 'Evergreen Mutual' },
  { payer_id: 'HBC03', name: 'Harborview Care' },
];

const PLANS = ['Bronze HMO', 'Silver PPO', 'Gold PPO', 'High Deductible EPO'];

/** The partners of the synthetic practice: a laboratory and a patient-engagement app. */
export const SEED_PARTNERS: ReadonlyArray<{ readonly id: string; readonly name: string }> = [
  { id: 'acme-labs', name: 'Acme Labs' },
  { id: 'bluebird-health', name: 'Bluebird Health' },
];

const CONSENT_CHOICES: ReadonlyArray<readonly string[]> = [
  ['demographic', 'clinical'],
  ['demographic', 'contact'],
  ['demographic', 'contact', 'clinical', 'clinical_coding'],
  ['demographic', 'coverage', 'financial'],
];

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The MRN of the n-th seeded patient (1-based). */
export function seededMrn(n: number): string {
  return `CB${String(n).padStart(8, '0')}`;
}

/**
 * Generates a deterministic synthetic practice: the same options give the same rows, ids included,
 * on every machine. Nothing here is real patient data.
 */
export class SyntheticPractice {
  readonly #faker: Faker;
  readonly #ssnFaker: Faker;
  readonly #consentFaker: Faker;
  readonly #coverageFaker: Faker;
  readonly #options: Required<SyntheticDataOptions>;
  readonly providers: SeedProvider[];
  /** One location with two rooms; every provider there Monday to Friday, 08:00 to 17:00. */
  readonly schedule: SeedSchedule;
  readonly payers: SeedPayer[];

  constructor(options: SyntheticDataOptions) {
    if (!Number.isInteger(options.patients) || options.patients < 0) throw new RangeError('patients must be a whole number >= 0');
    this.#options = { batchSize: 500, today: '2026-11-20', ...options };
    this.#faker = new Faker({ locale: [en_US, en] });
    this.#faker.seed(options.seed);
    this.#faker.setDefaultRefDate(`${this.#options.today}T12:00:00Z`);
    this.#ssnFaker = new Faker({ locale: [en_US, en] });
    this.#ssnFaker.seed([options.seed, SSN_STREAM]);
    this.#consentFaker = new Faker({ locale: [en_US, en] });
    this.#consentFaker.seed([options.seed, CONSENT_STREAM]);
    this.#coverageFaker = new Faker({ locale: [en_US, en] });
    this.#coverageFaker.seed([options.seed, COVERAGE_STREAM]);
    this.payers = PAYERS.map((payer) => ({ id: this.#coverageFaker.string.uuid(), ...payer }));
    const providerCount = Math.max(3, Math.ceil(options.patients / 50));
    this.providers = Array.from({ length: providerCount }, (_, i) => this.#provider(i));
    this.schedule = this.#schedule();
  }

  #schedule(): SeedSchedule {
    const f = new Faker({ locale: [en_US, en] });
    f.seed([this.#options.seed, SCHEDULE_STREAM]);
    const location = { id: f.string.uuid(), name: 'Main Street Clinic' };
    const rooms = ['Exam 1', 'Exam 2'].map((name) => ({ id: f.string.uuid(), location_id: location.id, name }));
    const availability = this.providers.flatMap((provider) =>
      [1, 2, 3, 4, 5].map((weekday) => ({
        id: f.string.uuid(),
        provider_id: provider.id,
        location_id: location.id,
        weekday,
        start_time: '08:00',
        end_time: '17:00',
      })),
    );
    return { locations: [location], rooms, availability };
  }

  #provider(i: number): SeedProvider {
    const f = this.#faker;
    // Disjoint ranges per provider keep the NPIs unique without a retry loop.
    const base = String(100_000_000 + i * 7919 + f.number.int({ min: 0, max: 7918 }));
    return {
      id: f.string.uuid(),
      npi: `${base}${npiCheckDigit(base)}`,
      given_names: [f.person.firstName()],
      family_name: f.person.lastName(),
      specialty: f.helpers.arrayElement(SPECIALTIES),
    };
  }

  /**
   * About 85% of patients gave an SSN at registration. Each follows SSA's assignment rules: area
   * 001-899 but not 666, group 01-99, serial 0001-9999 (see `normalizeSsn`).
   */
  #ssn(): string | null {
    const f = this.#ssnFaker;
    if (!f.datatype.boolean({ probability: 0.85 })) return null;
    const area = f.number.int({ min: 1, max: 898 });
    const digits = (n: number, width: number) => String(n).padStart(width, '0');
    // 898 areas mapped onto 001-899 by stepping over 666.
    return `${digits(area >= 666 ? area + 1 : area, 3)}-${digits(f.number.int({ min: 1, max: 99 }), 2)}-${digits(f.number.int({ min: 1, max: 9999 }), 4)}`;
  }

  /** Yields the patients in batches; each batch carries its encounters, allergies, notes and SSNs. */
  *batches(): Generator<SyntheticBatch> {
    const { patients, batchSize } = this.#options;
    for (let start = 0; start < patients; start += batchSize) {
      const batch: SyntheticBatch = { patients: [], encounters: [], allergies: [], notes: [], ssns: [], consents: [], coverages: [] };
      for (let n = start + 1; n <= Math.min(start + batchSize, patients); n += 1) {
        this.#patient(n, batch);
        this.#consent(batch.patients.at(-1)?.id ?? '', batch);
        this.#coverage(batch.patients.at(-1)?.id ?? '', batch);
      }
      yield batch;
    }
  }

  #consent(patientId: string, batch: SyntheticBatch): void {
    const f = this.#consentFaker;
    if (!f.datatype.boolean({ probability: 0.125 })) return;
    const validFrom = addDays(this.#options.today, -f.number.int({ min: 1, max: 400 }));
    const revoked = f.datatype.boolean({ probability: 0.1 });
    batch.consents.push({
      patient_id: patientId,
      partner_id: f.helpers.arrayElement(SEED_PARTNERS).id,
      data_classes: [...f.helpers.arrayElement(CONSENT_CHOICES)],
      valid_from: validFrom,
      valid_to: f.datatype.boolean({ probability: 0.3 }) ? addDays(validFrom, 365) : null,
      recorded_by: 'seed',
      revoked_at: revoked ? `${this.#options.today}T09:00:00Z` : null,
      revoked_by: revoked ? 'seed' : null,
    });
  }

  /** About 80% of patients have a primary coverage in force today, most of them as the subscriber. */
  #coverage(patientId: string, batch: SyntheticBatch): void {
    const f = this.#coverageFaker;
    if (!f.datatype.boolean({ probability: 0.8 })) return;
    const relationship = f.helpers.weightedArrayElement([
      { weight: 7, value: 'self' as const },
      { weight: 2, value: 'spouse' as const },
      { weight: 1, value: 'child' as const },
    ]);
    const deductible = f.helpers.arrayElement([0, 50_000, 100_000, 150_000, 300_000]);
    batch.coverages.push({
      id: f.string.uuid(),
      patient_id: patientId,
      payer_id: f.helpers.arrayElement(this.payers).id,
      rank: 'primary',
      member_id: f.string.alphanumeric({ length: 10, casing: 'upper' }),
      group_number: `G${f.string.numeric(5)}`,
      plan_name: f.helpers.arrayElement(PLANS),
      subscriber_name: relationship === 'self' ? null : f.person.fullName(),
      relationship,
      effective_from: addDays(this.#options.today, -f.number.int({ min: 30, max: 1500 })),
      effective_to: f.datatype.boolean({ probability: 0.2 }) ? addDays(this.#options.today, f.number.int({ min: 30, max: 365 })) : null,
      copay_cents: f.helpers.arrayElement([0, 1500, 2500, 3000, 4000]),
      deductible_cents: deductible,
      deductible_met_cents: f.number.int({ min: 0, max: deductible / 100 }) * 100,
      created_by: 'seed',
    });
  }

  #patient(n: number, batch: SyntheticBatch): void {
    const f = this.#faker;
    const sex = f.helpers.arrayElement(SEXES);
    const nameSex = sex === 'female' || sex === 'male' ? sex : undefined;
    const patientId = f.string.uuid();
    const family = f.person.lastName();
    batch.patients.push({
      id: patientId,
      mrn: seededMrn(n),
      given_names: f.helpers.maybe(() => [f.person.firstName(nameSex), f.person.middleName(nameSex)], { probability: 0.3 }) ?? [
        f.person.firstName(nameSex),
      ],
      family_name: family,
      birth_date: f.date.birthdate({ mode: 'age', min: 0, max: 95 }).toISOString().slice(0, 10),
      sex,
      phone: f.helpers.fromRegExp('555-[0-9]{3}-[0-9]{4}'),
      email: f.helpers.maybe(() => f.internet.email({ lastName: family }).toLowerCase(), { probability: 0.7 }) ?? null,
      address_lines: [f.location.streetAddress()],
      city: f.location.city(),
      state: f.location.state({ abbreviated: true }),
      postal_code: f.location.zipCode('#####'),
      country: 'US',
    });
    const ssn = this.#ssn();
    if (ssn !== null) batch.ssns.push({ patientId, ssn });

    for (const [substance, reactions] of f.helpers.arrayElements(
      ALLERGENS,
      f.helpers.weightedArrayElement([
        { weight: 6, value: 0 },
        { weight: 3, value: 1 },
        { weight: 1, value: 2 },
      ]),
    )) {
      batch.allergies.push({
        id: f.string.uuid(),
        patient_id: patientId,
        substance,
        reaction: f.helpers.arrayElement(reactions),
        severity: f.helpers.arrayElement(['mild', 'moderate', 'severe'] as const),
        status: f.helpers.weightedArrayElement([
          { weight: 9, value: 'active' as const },
          { weight: 1, value: 'resolved' as const },
        ]),
      });
    }

    const visits = f.number.int({ min: 1, max: 5 });
    const days = f.helpers.uniqueArray(() => f.number.int({ min: 0, max: 730 }), visits).sort((a, b) => b - a);
    days.forEach((daysAgo, index) => {
      const provider = f.helpers.arrayElement(this.providers);
      const serviceDate = addDays(this.#options.today, -daysAgo);
      const latest = index === days.length - 1;
      const status: EncounterStatus = latest && daysAgo === 0 ? 'in_progress' : 'finished';
      const encounterId = f.string.uuid();
      batch.encounters.push({ id: encounterId, patient_id: patientId, provider_id: provider.id, service_date: serviceDate, status });
      const signed = status === 'finished' && f.datatype.boolean({ probability: 0.9 });
      // About one visit in twelve is behavioural health, whose notes are restricted (break-the-glass).
      const kind = f.datatype.boolean({ probability: 0.08 }) ? 'behavioral_health' : 'progress';
      const complaint = f.helpers.arrayElement(COMPLAINTS);
      const createdAt = `${serviceDate}T${String(f.number.int({ min: 13, max: 21 })).padStart(2, '0')}:${String(f.number.int({ min: 0, max: 59 })).padStart(2, '0')}:00Z`;
      batch.notes.push({
        id: f.string.uuid(),
        encounter_id: encounterId,
        patient_id: patientId,
        author_id: provider.id,
        kind,
        status: signed ? 'signed' : 'draft',
        subjective: `Patient presents with ${complaint}.`,
        objective: `BP ${f.number.int({ min: 104, max: 152 })}/${f.number.int({ min: 64, max: 96 })}, HR ${f.number.int({ min: 56, max: 98 })}.`,
        assessment: signed ? `Assessment of ${complaint}.` : null,
        plan: signed ? f.helpers.arrayElement(['Follow up in 2 weeks.', 'Return as needed.', 'Labs ordered; follow up in 1 month.']) : null,
        created_at: createdAt,
        updated_at: createdAt,
        signed_at: signed ? new Date(Date.parse(createdAt) + f.number.int({ min: 10, max: 600 }) * 60_000) : null,
        signed_by: signed ? provider.id : null,
      });
    });
  }
}
