import type {
  AppointmentStatus,
  BulkRows,
  ClaimStatus,
  CoverageRow,
  NewCoverage,
  PaymentMethod,
  ProviderRow,
  SeedDatabase,
  SeedPatient,
  SeedStage,
  SyntheticBatch,
  SyntheticPractice,
} from '@chartbridge/db';
import type { Transaction } from 'kysely';
import { DEFAULT_PRACTICE_TIME_ZONE } from '../config.js';
import { builtInEligibilityAdapter, builtInEligibilityAnswer } from '../eligibility/built-in-eligibility-adapter.js';
import { eligibilityRequestOf } from '../eligibility/eligibility-adapter.js';
import { feeKey } from '../rules/claim-lines.js';
import { ClaimCycle } from './claim-cycle.js';
import { PracticeClock, SeedTimeline, dateOf, dayNumber, isWeekday } from './practice-calendar.js';
import { REMITTANCE_BLOCK_PATIENTS } from './remittance-book.js';
import {
  emptyPlan,
  planRows,
  remittanceRows,
  type CoverageInsert,
  type DiagnosisInsert,
  type ProcedureInsert,
  type RevenueCyclePlan,
} from './revenue-cycle.rows.js';
import type { PatientContext, PracticeFacts, Signed, Visit } from './revenue-cycle.types.js';
import { ScheduleBook, SLOT_MINUTES, type Booking } from './schedule-book.js';
import { SeededRandom, type Weighted } from './seeded-random.js';
import {
  CPT_LABELS,
  TEMPLATE_DIAGNOSIS_CODES,
  TEMPLATE_HCPCS_CODES,
  VISIT_TEMPLATES,
  documentVisit,
  suits,
  type Sex,
  type VisitTemplate,
} from './visit-templates.js';

// The synthetic practice's revenue cycle, a stage of the seed (see `seedDatabase`): for each
// patient, coverage history, eighteen months of appointments and a few weeks ahead; for each
// completed visit a checked-in encounter and its documentation in the EHR (the note signed mostly on
// the day, a few late, a few never; diagnoses and linked procedures), and for each signed visit its
// claim's life (see `ClaimCycle`): charge capture, submission, adjudication, appeals, payments.
//
// Each concern draws from its own random stream, so a change to one leaves the others' values as
// they were. All times are set here (none left to `now()`), relative to the practice's `today`.

/** Stream tags (ASCII): RSC scheduling, RDO documentation, RBI billing, RAD adjudication, RPA payments, RCO coverage history, REL eligibility checks. */
const STREAMS = {
  schedule: 0x52_53_43,
  documentation: 0x52_44_4f,
  billing: 0x52_42_49,
  adjudication: 0x52_41_44,
  payments: 0x52_50_41,
  coverage: 0x52_43_4f,
  eligibility: 0x52_45_4c,
} as const;

/** The appointment history reaches back about eighteen months... */
const HISTORY_DAYS = 548;
/** ...and the book three weeks ahead. */
const AHEAD_DAYS = 21;
const MINUTE = 60_000;

/** Completed visits per patient over the history: about six on average, so about ten claim lines. */
const VISITS: ReadonlyArray<Weighted<number>> = [
  [4, 1],
  [7, 2],
  [10, 3],
  [12, 4],
  [13, 5],
  [12, 6],
  [11, 7],
  [10, 8],
  [8, 9],
  [7, 10],
  [6, 12],
];
const CANCEL_REASONS = ['Patient request', 'Illness', 'Schedule conflict', 'Transportation', 'Provider unavailable'];
const PLANS = ['Bronze HMO', 'Silver PPO', 'Gold PPO', 'High Deductible EPO'];
const DESK_METHODS: ReadonlyArray<Weighted<PaymentMethod>> = [
  [75, 'card'],
  [25, 'cash'],
];

export interface RevenueCycleOptions {
  readonly seed: number;
  /** The day the history ends on; the same as the practice's (default 2026-11-20). */
  readonly today?: string;
  /** The practice's IANA time zone (default America/New_York): schedules are local times. */
  readonly timeZone?: string;
}

/** What the revenue cycle wrote, by kind. */
export interface RevenueCycleSummary {
  coverages: number;
  /** Front-desk eligibility checks before visits (the built-in adapter's answers). */
  eligibilityChecks: number;
  appointments: Record<AppointmentStatus, number>;
  encounters: number;
  notes: number;
  addenda: number;
  diagnoses: number;
  procedures: number;
  /** `encounter.documented` events: in the EHR's outbox (delivered) and the PMS's inbox alike. */
  events: number;
  claims: Record<ClaimStatus, number>;
  claimLines: number;
  claimDiagnoses: number;
  remittances: number;
  remittanceLines: number;
  deniedLines: number;
  adjustments: number;
  appeals: number;
  patientPayments: number;
  /** Of the patient payments, those on account (no claim named). */
  paymentsOnAccount: number;
}

function emptySummary(): RevenueCycleSummary {
  return {
    coverages: 0,
    eligibilityChecks: 0,
    appointments: { booked: 0, arrived: 0, in_progress: 0, completed: 0, cancelled: 0, no_show: 0 },
    encounters: 0,
    notes: 0,
    addenda: 0,
    diagnoses: 0,
    procedures: 0,
    events: 0,
    claims: { draft: 0, ready: 0, submitted: 0, accepted: 0, rejected: 0, paid: 0, partially_paid: 0, denied: 0, appealed: 0, void: 0 },
    claimLines: 0,
    claimDiagnoses: 0,
    remittances: 0,
    remittanceLines: 0,
    deniedLines: 0,
    adjustments: 0,
    appeals: 0,
    patientPayments: 0,
    paymentsOnAccount: 0,
  };
}

function ageOn(birthDate: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

function sexOf(sex: SeedPatient['sex']): Sex {
  return sex === 'female' || sex === 'male' || sex === 'other' ? sex : 'unknown';
}

function coverageRow(c: NewCoverage | CoverageInsert, createdAt: Date): CoverageRow {
  if (c.id === undefined) throw new Error('A seeded coverage needs its id');
  return {
    id: c.id,
    patient_id: c.patient_id,
    payer_id: c.payer_id,
    rank: c.rank,
    member_id: c.member_id,
    group_number: c.group_number ?? null,
    plan_name: c.plan_name ?? null,
    subscriber_name: c.subscriber_name ?? null,
    relationship: c.relationship ?? 'self',
    effective_from: c.effective_from,
    effective_to: c.effective_to ?? null,
    copay_cents: c.copay_cents ?? null,
    deductible_cents: c.deductible_cents ?? null,
    deductible_met_cents: c.deductible_met_cents ?? 0,
    created_by: c.created_by,
    created_at: createdAt,
  };
}

/** The seed's revenue-cycle stage; `summary` tells what it wrote once the seed is done. */
export class RevenueCycleSeed implements SeedStage {
  readonly summary = emptySummary();
  readonly #today: number;
  readonly #time: SeedTimeline;
  readonly #random: Record<keyof typeof STREAMS, SeededRandom>;
  #patients = 0;
  #practice: PracticeFacts | null = null;
  #book: ScheduleBook | null = null;
  #claims: ClaimCycle | null = null;
  readonly #pastWeekdays: number[] = [];
  readonly #aheadWeekdays: number[] = [];

  constructor(options: RevenueCycleOptions) {
    this.#today = dayNumber(options.today ?? '2026-11-20');
    this.#time = new SeedTimeline(new PracticeClock(options.timeZone ?? DEFAULT_PRACTICE_TIME_ZONE), this.#today);
    this.#random = Object.fromEntries(Object.entries(STREAMS).map(([name, tag]) => [name, new SeededRandom(options.seed, tag)])) as Record<
      keyof typeof STREAMS,
      SeededRandom
    >;
    for (let day = this.#today - HISTORY_DAYS; day < this.#today; day += 1) if (isWeekday(day)) this.#pastWeekdays.push(day);
    for (let day = this.#today; day <= this.#today + AHEAD_DAYS; day += 1) if (isWeekday(day)) this.#aheadWeekdays.push(day);
  }

  /** Reads the code descriptions and fees the seed bills with; refuses to start when one is missing. */
  async start(trx: Transaction<SeedDatabase>, practice: SyntheticPractice): Promise<void> {
    const [references, fees] = await Promise.all([
      trx
        .selectFrom('ehr.code_reference')
        .select(['system', 'code', 'description'])
        .where((eb) =>
          eb.or([
            eb.and([eb('system', '=', 'icd10cm'), eb('code', 'in', TEMPLATE_DIAGNOSIS_CODES)]),
            eb.and([eb('system', '=', 'hcpcs'), eb('code', 'in', TEMPLATE_HCPCS_CODES)]),
          ]),
        )
        .execute(),
      trx
        .selectFrom('pms.fee_schedule')
        .select(['code_system', 'code', 'amount_cents', 'effective_from'])
        .orderBy('effective_from', 'desc')
        .execute(),
    ]);
    const diagnosisDescriptions = new Map(references.filter((r) => r.system === 'icd10cm').map((r) => [r.code, r.description]));
    const hcpcsDescriptions = new Map(references.filter((r) => r.system === 'hcpcs').map((r) => [r.code, r.description]));
    const feeHistory = new Map<string, Array<{ from: string; cents: number }>>();
    for (const f of fees)
      feeHistory.set(feeKey(f.code_system, f.code), [
        ...(feeHistory.get(feeKey(f.code_system, f.code)) ?? []),
        { from: f.effective_from, cents: Number(f.amount_cents) },
      ]);
    const missing = [
      ...TEMPLATE_DIAGNOSIS_CODES.filter((c) => !diagnosisDescriptions.has(c)).map((c) => `ICD-10-CM ${c} (reference set)`),
      ...TEMPLATE_HCPCS_CODES.filter((c) => !hcpcsDescriptions.has(c)).map((c) => `HCPCS ${c} (reference set)`),
      ...[...Object.keys(CPT_LABELS).map((c) => feeKey('cpt', c)), ...TEMPLATE_HCPCS_CODES.map((c) => feeKey('hcpcs', c))]
        .filter((k) => !feeHistory.has(k))
        .map((k) => `${k} (fee schedule)`),
    ];
    if (missing.length > 0) throw new Error(`The revenue-cycle seed needs codes the database lacks: ${missing.join(', ')}`);

    const createdAt = this.#time.clock.at(this.#today - HISTORY_DAYS - 30, 9 * 60);
    const location = practice.schedule.locations[0];
    if (!location) throw new Error('The practice has no location');
    const providers = practice.providers.map((p): ProviderRow => ({ ...p, specialty: p.specialty ?? null, created_at: createdAt }));
    this.#practice = {
      providers,
      providerById: new Map(providers.map((p) => [p.id, p])),
      providerIds: new Set(providers.map((p) => p.id)),
      payers: practice.payers.map((p) => ({ id: p.id, code: p.payer_id, name: p.name })),
      locationId: location.id,
      roomIds: practice.schedule.rooms.filter((r) => r.location_id === location.id).map((r) => r.id),
      diagnosisDescriptions,
      hcpcsDescriptions,
      fees: feeHistory,
    };
    const { billing, adjudication, payments, documentation } = this.#random;
    this.#claims = new ClaimCycle({
      random: { billing, adjudication, payments, documentation },
      time: this.#time,
      practice: this.#practice,
    });
    this.#book = new ScheduleBook({
      firstDay: this.#today - HISTORY_DAYS,
      lastDay: this.#today + AHEAD_DAYS,
      providerCount: practice.providers.length,
      roomCount: this.#practice.roomIds.length,
    });
  }

  rows(batch: SyntheticBatch): Array<BulkRows<SeedDatabase>> {
    const plan = emptyPlan();
    const coverages = new Map<string, NewCoverage[]>();
    for (const c of batch.coverages) coverages.set(c.patient_id, [...(coverages.get(c.patient_id) ?? []), c]);
    for (const patient of batch.patients) {
      const block = Math.floor(this.#patients / REMITTANCE_BLOCK_PATIENTS);
      this.#patients += 1;
      const current = coverages.get(patient.id) ?? [];
      const history = this.#coverageHistory(patient.id, current);
      plan.coverages.push(...history);
      const rows = [...current.map((c) => coverageRow(c, this.#time.now)), ...history.map((c) => coverageRow(c, c.created_at))];
      this.#patient({ patient, sex: sexOf(patient.sex), coverages: rows, block, plan });
    }
    plan.remittances = this.#cycle.remittances(Math.floor(this.#patients / REMITTANCE_BLOCK_PATIENTS));
    this.#count(plan);
    return planRows(plan);
  }

  finish(): Array<BulkRows<SeedDatabase>> {
    const rows = this.#cycle.remittances();
    this.#count({ ...emptyPlan(), remittances: rows });
    return remittanceRows(rows);
  }

  #count(plan: RevenueCyclePlan): void {
    const s = this.summary;
    s.coverages += plan.coverages.length;
    s.eligibilityChecks += plan.eligibilityChecks.length;
    for (const a of plan.appointments) s.appointments[a.status] += 1;
    s.encounters += plan.encounters.length;
    s.notes += plan.notes.length;
    s.addenda += plan.addenda.length;
    s.diagnoses += plan.diagnoses.length;
    s.procedures += plan.procedures.length;
    s.events += plan.outbox.length;
    for (const c of plan.claims) s.claims[c.status] += 1;
    s.claimLines += plan.claimLines.length;
    s.claimDiagnoses += plan.claimDiagnoses.length;
    s.appeals += plan.appeals.length;
    s.patientPayments += plan.patientPayments.length;
    s.paymentsOnAccount += plan.patientPayments.filter((p) => p.claim_id === null).length;
    s.remittances += plan.remittances.remittances.length;
    s.remittanceLines += plan.remittances.lines.length;
    s.deniedLines += plan.remittances.lines.filter((l) => l.denied).length;
    s.adjustments += plan.remittances.adjustments.length;
  }

  get #cycle(): ClaimCycle {
    if (!this.#claims) throw new Error('The revenue-cycle seed was not started');
    return this.#claims;
  }

  get #ready(): PracticeFacts {
    if (!this.#practice) throw new Error('The revenue-cycle seed was not started');
    return this.#practice;
  }

  /**
   * Earlier coverage, so most visits of the history were insured: most patients whose current plan
   * began within it had another plan before (some with a gap), and two in three of those without a
   * plan today had one that ended.
   */
  #coverageHistory(patientId: string, current: readonly NewCoverage[]): CoverageInsert[] {
    const r = this.#random.coverage;
    const startOfHistory = this.#today - HISTORY_DAYS;
    const primary = current.find((c) => c.rank === 'primary');
    let period: { from: number; to: number } | null = null;
    if (primary) {
      const begins = dayNumber(primary.effective_from);
      if (begins > startOfHistory && r.chance(0.9)) {
        const to = begins - 1 - (r.chance(0.85) ? 0 : r.int(15, 90));
        period = { from: Math.min(startOfHistory - r.int(0, 700), to), to };
      }
    } else if (r.chance(0.65)) {
      const to = this.#today - r.int(30, 400);
      period = { from: to - r.int(200, 1200), to };
    }
    if (!period) return [];
    const deductible = r.pick([0, 50_000, 100_000, 150_000, 300_000]);
    return [
      {
        id: r.uuid(),
        patient_id: patientId,
        payer_id: r.pick(this.#ready.payers).id,
        rank: 'primary',
        member_id: r.alphanumeric(10),
        group_number: `G${r.digits(5)}`,
        plan_name: r.pick(PLANS),
        subscriber_name: null,
        relationship: 'self',
        effective_from: dateOf(period.from),
        effective_to: dateOf(period.to),
        copay_cents: r.pick([0, 1500, 2500, 3000, 4000]),
        deductible_cents: deductible,
        deductible_met_cents: 0,
        created_by: 'seed',
        created_at: this.#time.clock.at(Math.min(period.from, this.#today), 9 * 60),
      },
    ];
  }

  #patient(ctx: PatientContext): void {
    const r = this.#random.schedule;
    const practice = this.#ready;
    const home = r.int(0, practice.providers.length - 1);
    const providerFor = () => (r.chance(0.85) ? home : r.int(0, practice.providers.length - 1));
    const count = r.weighted(VISITS);
    const days = new Set<number>();
    while (days.size < Math.min(count, this.#pastWeekdays.length)) days.add(r.pick(this.#pastWeekdays));
    let first = true;
    const born = dayNumber(ctx.patient.birth_date);
    for (const day of [...days].sort((a, b) => a - b)) {
      // A newborn's history starts at birth.
      if (day < born) continue;
      const date = dateOf(day);
      const template = this.#template(r, ageOn(ctx.patient.birth_date, date));
      const provider = providerFor();
      if (r.chance(0.1)) this.#sideAppointment(ctx, 'cancelled', provider, template);
      if (r.chance(0.06)) this.#sideAppointment(ctx, 'no_show', provider, template);
      const booking = this.#bookOn(provider, day, template);
      if (!booking) continue;
      const established = !first || r.chance(0.5);
      first = false;
      this.#completedVisit(ctx, provider, booking, template, established);
    }
    if (r.chance(0.35)) this.#upcoming(ctx, providerFor());
  }

  #template(r: SeededRandom, age: number): VisitTemplate {
    return r.weighted(VISIT_TEMPLATES.filter((t) => suits(t, age)).map((t): Weighted<VisitTemplate> => [t.weight, t]));
  }

  #bookOn(provider: number, day: number, template: VisitTemplate, hold = true): Booking | null {
    const book = this.#book;
    if (!book) throw new Error('The revenue-cycle seed was not started');
    return book.book(this.#random.schedule, provider, day, template.minutes / SLOT_MINUTES, hold);
  }

  #appointmentTimes(booking: Booking, minutes: number): { startsAt: Date; endsAt: Date } {
    const startsAt = this.#time.clock.at(booking.day, booking.startMinutes);
    return { startsAt, endsAt: new Date(startsAt.getTime() + minutes * MINUTE) };
  }

  /** A cancelled appointment (its time given back) or a no-show (its time held) on another past weekday. */
  #sideAppointment(ctx: PatientContext, status: 'cancelled' | 'no_show', provider: number, template: VisitTemplate): void {
    const r = this.#random.schedule;
    const booking = this.#bookOn(provider, r.pick(this.#pastWeekdays), template, status === 'no_show');
    if (!booking) return;
    const { startsAt, endsAt } = this.#appointmentTimes(booking, template.minutes);
    const createdAt = new Date(startsAt.getTime() - r.int(3 * 1440, 40 * 1440) * MINUTE);
    const cancelledAt = status === 'cancelled' ? new Date(startsAt.getTime() - r.int(60, 2 * 1440) * MINUTE) : null;
    const practice = this.#ready;
    ctx.plan.appointments.push({
      id: r.uuid(),
      patient_id: ctx.patient.id,
      provider_id: practice.providers[provider]?.id ?? '',
      location_id: practice.locationId,
      room_id: booking.room === null ? null : (practice.roomIds[booking.room] ?? null),
      starts_at: startsAt,
      ends_at: endsAt,
      status,
      reason: template.reason,
      encounter_id: null,
      created_by: 'seed',
      created_at: createdAt,
      updated_at: cancelledAt ?? new Date(startsAt.getTime() + 20 * MINUTE),
      cancelled_at: cancelledAt,
      cancelled_by: cancelledAt ? 'seed' : null,
      cancel_reason: cancelledAt ? r.pick(CANCEL_REASONS) : null,
    });
  }

  /** An appointment in the next three weeks: booked, or today and already started, checked in (arrived or in progress) with its draft note. */
  #upcoming(ctx: PatientContext, provider: number): void {
    const r = this.#random.schedule;
    const practice = this.#ready;
    const day = r.pick(this.#aheadWeekdays);
    const template = this.#template(r, ageOn(ctx.patient.birth_date, dateOf(day)));
    const booking = this.#bookOn(provider, day, template);
    if (!booking) return;
    const { startsAt, endsAt } = this.#appointmentTimes(booking, template.minutes);
    const createdAt = new Date(this.#time.now.getTime() - r.int(60, 30 * 1440) * MINUTE);
    const started = startsAt.getTime() < this.#time.now.getTime();
    const checkedIn = started
      ? r.weighted<'in_progress' | 'arrived'>([
          [6, 'in_progress'],
          [4, 'arrived'],
        ])
      : null;
    const status: AppointmentStatus = checkedIn ?? 'booked';
    const providerId = practice.providers[provider]?.id ?? '';
    let encounterId: string | null = null;
    let updatedAt = createdAt;
    if (checkedIn) {
      encounterId = r.uuid();
      updatedAt = new Date(startsAt.getTime() - r.int(0, 10) * MINUTE);
      ctx.plan.encounters.push({
        id: encounterId,
        patient_id: ctx.patient.id,
        provider_id: providerId,
        service_date: dateOf(day),
        status: checkedIn,
        created_at: updatedAt,
      });
      // The visit's note is started at rooming, a draft until the clinician signs it.
      const d = this.#random.documentation;
      const noteAt = new Date(Math.min(updatedAt.getTime() + d.int(1, 5) * MINUTE, this.#time.now.getTime()));
      ctx.plan.notes.push({
        id: d.uuid(),
        encounter_id: encounterId,
        patient_id: ctx.patient.id,
        author_id: providerId,
        kind: template.kind,
        status: 'draft',
        subjective: `Seen for ${template.reason.toLowerCase()}.`,
        objective: null,
        assessment: null,
        plan: null,
        version: 1,
        created_at: noteAt,
        updated_at: noteAt,
        signed_at: null,
        signed_by: null,
      });
    }
    ctx.plan.appointments.push({
      id: r.uuid(),
      patient_id: ctx.patient.id,
      provider_id: providerId,
      location_id: practice.locationId,
      room_id: booking.room === null ? null : (practice.roomIds[booking.room] ?? null),
      starts_at: startsAt,
      ends_at: endsAt,
      status,
      reason: template.reason,
      encounter_id: encounterId,
      created_by: 'seed',
      created_at: createdAt,
      updated_at: updatedAt,
      cancelled_at: null,
      cancelled_by: null,
      cancel_reason: null,
    });
    this.#eligibilityCheck(ctx, dateOf(day), startsAt);
  }

  #completedVisit(ctx: PatientContext, provider: number, booking: Booking, template: VisitTemplate, established: boolean): void {
    const r = this.#random.schedule;
    const practice = this.#ready;
    const providerId = practice.providers[provider]?.id ?? '';
    const { startsAt, endsAt } = this.#appointmentTimes(booking, template.minutes);
    const checkedInAt = new Date(startsAt.getTime() - r.int(0, 10) * MINUTE);
    const visit: Visit = { encounterId: r.uuid(), providerIndex: provider, booking, startsAt, endsAt, checkedInAt, template, established };
    ctx.plan.encounters.push({
      id: visit.encounterId,
      patient_id: ctx.patient.id,
      provider_id: providerId,
      service_date: dateOf(booking.day),
      status: 'finished',
      created_at: checkedInAt,
    });
    ctx.plan.appointments.push({
      id: r.uuid(),
      patient_id: ctx.patient.id,
      provider_id: providerId,
      location_id: practice.locationId,
      room_id: booking.room === null ? null : (practice.roomIds[booking.room] ?? null),
      starts_at: startsAt,
      ends_at: endsAt,
      status: 'completed',
      reason: template.reason,
      encounter_id: visit.encounterId,
      created_by: 'seed',
      created_at: new Date(startsAt.getTime() - r.int(1440, 45 * 1440) * MINUTE),
      updated_at: new Date(endsAt.getTime() + r.int(0, 15) * MINUTE),
      cancelled_at: null,
      cancelled_by: null,
      cancel_reason: null,
    });
    this.#eligibilityCheck(ctx, dateOf(booking.day), startsAt);
    const coverage = this.#coverageOn(ctx.coverages, dateOf(booking.day));
    const deskPayment = this.#deskPayment(ctx, visit, coverage);
    const signed = this.#document(ctx, visit);
    if (signed) this.#cycle.bill(ctx, visit, signed, coverage, deskPayment);
  }

  /**
   * The front desk's eligibility check of a visit, 18 hours before it (the day before; once that time
   * has come), with the built-in adapter: against the patient's latest primary coverage begun by the
   * day, so `active` while it is in force and `inactive` once it has ended. Self-pay patients are not
   * checked.
   */
  #eligibilityCheck(ctx: PatientContext, dateOfService: string, startsAt: Date): void {
    const checkedAt = new Date(startsAt.getTime() - 18 * 60 * MINUTE);
    if (checkedAt.getTime() > this.#time.now.getTime()) return;
    const coverage = ctx.coverages
      .filter((c) => c.rank === 'primary' && c.effective_from <= dateOfService)
      .reduce<CoverageRow | undefined>(
        (latest, c) => (latest === undefined || c.effective_from > latest.effective_from ? c : latest),
        undefined,
      );
    const payer = coverage && this.#ready.payers.find((p) => p.id === coverage.payer_id);
    if (!coverage || !payer) return;
    const answer = builtInEligibilityAnswer(eligibilityRequestOf(coverage, { payerId: payer.code, name: payer.name }, dateOfService));
    ctx.plan.eligibilityChecks.push({
      id: this.#random.eligibility.uuid(),
      coverage_id: coverage.id,
      patient_id: ctx.patient.id,
      date_of_service: dateOfService,
      checked_by: 'seed',
      checked_at: checkedAt,
      adapter: builtInEligibilityAdapter.name,
      outcome: answer.outcome,
      copay_cents: answer.copayCents,
      remaining_deductible_cents: answer.remainingDeductibleCents,
      message: answer.message,
      raw_response: JSON.stringify(answer.raw),
    });
  }

  /** The primary coverage in force on a date of service: the payer the claim is billed to. */
  #coverageOn(coverages: readonly CoverageRow[], date: string): CoverageRow | undefined {
    return coverages.find((c) => c.rank === 'primary' && c.effective_from <= date && (c.effective_to === null || date <= c.effective_to));
  }

  /** At check-in: the copay, or a self-pay deposit, taken at the desk before any claim exists (on account). Returns the copay taken. */
  #deskPayment(ctx: PatientContext, visit: Visit, coverage: CoverageRow | undefined): number {
    const p = this.#random.payments;
    const amount = coverage ? (coverage.copay_cents ?? 0) : p.int(8, 30) * 500;
    if (amount === 0 || !p.chance(coverage ? 0.3 : 0.5)) return 0;
    const method = p.weighted(DESK_METHODS);
    ctx.plan.patientPayments.push({
      id: p.uuid(),
      patient_id: ctx.patient.id,
      claim_id: null,
      amount_cents: amount,
      method,
      reference: method === 'card' ? `AUTH${p.alphanumeric(6)}` : null,
      received_on: dateOf(visit.booking.day),
      posted_by: 'seed',
      posted_at: visit.checkedInAt,
    });
    return coverage ? amount : 0;
  }

  /**
   * The visit's note, diagnoses and procedures as the clinician records them during the visit; the
   * note signed on the day for most visits, within three days for some, late for a few, and left
   * unsigned for a few (or when signing would fall after today). Returns the signed facts, or null.
   */
  #document(ctx: PatientContext, visit: Visit): Signed | null {
    const d = this.#random.documentation;
    const practice = this.#ready;
    const providerId = practice.providers[visit.providerIndex]?.id ?? '';
    const date = dateOf(visit.booking.day);
    const coding = documentVisit(d, visit.template, {
      age: ageOn(ctx.patient.birth_date, date),
      sex: ctx.sex,
      established: visit.established,
    });
    const noteId = d.uuid();
    const noteAt = new Date(visit.startsAt.getTime() + d.int(3, 15) * MINUTE);
    const at = (seconds: number) => new Date(noteAt.getTime() + seconds * 1000);
    const diagnoses = coding.diagnoses.map((code, i): DiagnosisInsert => ({
      id: d.uuid(),
      encounter_id: visit.encounterId,
      patient_id: ctx.patient.id,
      code,
      description: practice.diagnosisDescriptions.get(code) ?? '',
      recorded_by: 'seed',
      created_at: at(i + 1),
    }));
    const procedures = coding.procedures.map((p, i): ProcedureInsert => ({
      id: d.uuid(),
      encounter_id: visit.encounterId,
      patient_id: ctx.patient.id,
      note_id: noteId,
      code: p.code,
      code_system: p.system,
      display: p.system === 'cpt' ? (CPT_LABELS[p.code] ?? p.code) : (practice.hcpcsDescriptions.get(p.code) ?? p.code),
      units: p.units,
      modifiers: [...p.modifiers],
      performer_id: providerId,
      recorded_by: 'seed',
      created_at: at(diagnoses.length + i + 1),
    }));
    const links = new Map<string, DiagnosisInsert[]>();
    coding.procedures.forEach((p, i) => {
      const procedure = procedures[i];
      if (!procedure) return;
      const linked = p.links.flatMap((index) => diagnoses[index] ?? []);
      links.set(procedure.id, linked);
      linked.forEach((diagnosis, position) =>
        ctx.plan.links.push({ procedure_id: procedure.id, diagnosis_id: diagnosis.id, position: position + 1 }),
      );
    });
    ctx.plan.diagnoses.push(...diagnoses);
    ctx.plan.procedures.push(...procedures);

    const delay = d.weighted<readonly [number, number]>([
      [80, [10, 240]],
      [12, [1440, 3 * 1440]],
      [6, [4 * 1440, 20 * 1440]],
      [2, [21 * 1440, 60 * 1440]],
    ]);
    const signedAt = new Date(visit.endsAt.getTime() + d.int(delay[0], delay[1]) * MINUTE);
    const signed = !d.chance(0.02) && signedAt.getTime() <= this.#time.now.getTime();
    const objective = `BP ${d.int(104, 152)}/${d.int(64, 96)}, HR ${d.int(56, 98)}.`;
    ctx.plan.notes.push({
      id: noteId,
      encounter_id: visit.encounterId,
      patient_id: ctx.patient.id,
      author_id: providerId,
      kind: visit.template.kind,
      status: signed ? 'signed' : 'draft',
      subjective: `Seen for ${visit.template.reason.toLowerCase()}.`,
      objective,
      assessment: signed ? `${diagnoses.map((x) => x.description).join('; ')}.` : null,
      plan: signed ? d.pick(visit.template.plans) : null,
      version: signed ? 2 : 1,
      created_at: noteAt,
      updated_at: signed ? signedAt : noteAt,
      signed_at: signed ? signedAt : null,
      signed_by: signed ? providerId : null,
    });
    return signed ? { noteId, signedAt, diagnoses, procedures, links } : null;
  }
}
