import type { ClaimStatus, CoverageRow, InboxOutcome, PaymentMethod } from '@chartbridge/db';
import { ENCOUNTER_DOCUMENTED, encounterDocumentedV1, type EncounterDocumented } from '../events/encounter-documented.js';
import { buildClaimDraft } from '../rules/claim-lines.js';
import { hasErrors, scrubClaim } from '../rules/claim-scrubber.js';
import { transitionProblem } from '../rules/claim-status.js';
import { adjudicatedStatus, remittancePath, type RemittanceLineInput } from '../rules/remittance.js';
import { toScrubInput } from '../services/claim-submission.service.js';
import { DENIAL_REASONS, adjudicate, type PayerDecision, type PlanBenefits } from './payer-adjudication.js';
import { dateOf, weekdayOf, weekdayOnOrAfter, type SeedTimeline } from './practice-calendar.js';
import { RemittanceBook, type RemittanceRows } from './remittance-book.js';
import type { ClaimInsert, ClaimLineInsert, DiagnosisInsert, ProcedureInsert } from './revenue-cycle.rows.js';
import type { PatientContext, PracticeFacts, Signed, Visit } from './revenue-cycle.types.js';
import type { SeededRandom, Weighted } from './seeded-random.js';
import { CPT_LABELS } from './visit-templates.js';

// A seeded visit's claim from charge capture to its last payment: the `encounter.documented` event
// the EHR writes at signing (its outbox row, delivered, and the PMS's inbox row), the draft charge
// capture builds from it, scrubbing and submission to the payer in force on the date of service,
// the clearinghouse's acceptance, the payer's adjudication posted in remittances (contractual
// adjustments, the patient's share, denials with their CARC reasons), appeals and write-offs, the
// patient's payments, and the documentation compliance reviews find changed after submission.
// Every status change is checked against the claim state machine.

const MINUTE = 60_000;
/** Coinsurance by plan, percent of the allowed amount after the deductible. */
const COINSURANCE: Readonly<Record<string, number>> = { 'Bronze HMO': 30, 'Silver PPO': 20, 'Gold PPO': 10, 'High Deductible EPO': 20 };
const STATEMENT_METHODS: ReadonlyArray<Weighted<PaymentMethod>> = [
  [55, 'card'],
  [35, 'check'],
  [10, 'other'],
];

/** A claim's status as it moves, each move checked against the claim state machine. */
class ClaimLife {
  status: ClaimStatus = 'draft';
  constructor(public changedAt: Date) {}

  move(to: ClaimStatus, at: Date): void {
    const problem = transitionProblem(this.status, to);
    if (problem) throw new Error(`The seed moved a claim against its life cycle: ${problem}`);
    this.status = to;
    this.changedAt = at;
  }
}

/** The random streams the claim's life draws from: one per concern. */
export interface ClaimStreams {
  readonly billing: SeededRandom;
  readonly adjudication: SeededRandom;
  readonly payments: SeededRandom;
  readonly documentation: SeededRandom;
}

/** Seeded claims' lives; one instance per seed, holding the open remittances and the deductibles drawn down so far. */
export class ClaimCycle {
  readonly #random: ClaimStreams;
  readonly #time: SeedTimeline;
  readonly #practice: PracticeFacts;
  readonly #remittances = new RemittanceBook();
  /** Plan benefits per coverage and year: the deductible is drawn down across a year's claims. */
  readonly #benefits = new Map<string, PlanBenefits>();
  readonly #feesByDate = new Map<string, Map<string, number>>();

  constructor(options: { readonly random: ClaimStreams; readonly time: SeedTimeline; readonly practice: PracticeFacts }) {
    this.#random = options.random;
    this.#time = options.time;
    this.#practice = options.practice;
  }

  /** The remittances of the blocks before `block` (all when omitted), complete and out of the book. */
  remittances(block?: number): RemittanceRows {
    return this.#remittances.close(block);
  }

  /**
   * Charge capture, then the claim's life: the event the EHR writes at signing, parsed as the PMS's
   * intake parses it, built into the draft by `buildClaimDraft` with the fees in force on the date of
   * service; scrubbed and submitted to the primary payer within days (a claim the scrubber refuses,
   * such as a self-pay visit's, stays a draft); accepted by the clearinghouse, adjudicated and paid.
   */
  bill(ctx: PatientContext, visit: Visit, signed: Signed, coverage: CoverageRow | undefined, deskCopay: number): void {
    const b = this.#random.billing;
    const practice = this.#practice;
    const provider = practice.providers[visit.providerIndex];
    if (!provider) throw new Error('Unknown provider');
    const serviceDate = dateOf(visit.booking.day);
    const eventId = b.uuid();
    const claimId = b.uuid();
    // The relay delivers within a second or two of the signing transaction that wrote the event.
    const capturedAt = new Date(signed.signedAt.getTime() + b.int(1, 3) * 1000);
    const { facts, factsJson } = this.#announce(ctx, {
      id: eventId,
      encounterId: visit.encounterId,
      serviceDate,
      noteId: signed.noteId,
      signedAt: signed.signedAt,
      signedBy: provider.id,
      addendumId: null,
      diagnoses: signed.diagnoses,
      procedures: signed.procedures,
      links: signed.links,
      receivedAt: capturedAt,
      outcome: 'applied',
      claimId,
    });
    const draft = buildClaimDraft(facts, this.#feesOn(serviceDate), practice.providerIds);
    // What the PMS keeps of the event, as charge capture stores it (the facts' JSON written once).
    const occurredAt = signed.signedAt.toISOString();
    const snapshot = { eventId, occurredAt, facts };
    const claim: ClaimInsert = {
      id: claimId,
      encounter_id: visit.encounterId,
      patient_id: ctx.patient.id,
      provider_id: provider.id,
      status: 'draft',
      total_charge_cents: draft.totalChargeCents,
      capture_issues: JSON.stringify(draft.issues),
      snapshot: `{"eventId":${JSON.stringify(eventId)},"occurredAt":${JSON.stringify(occurredAt)},"facts":${factsJson}}`,
      source_event_id: eventId,
      source_event_at: signed.signedAt,
      created_at: capturedAt,
      updated_at: capturedAt,
      payer_id: null,
      coverage_id: null,
      location_id: practice.locationId,
      submitted_at: null,
      first_submitted_at: null,
      first_submission_clean: null,
      adjudicated_at: null,
    };
    const lines: ClaimLineInsert[] = draft.lines.map((l) => ({
      id: b.uuid(),
      claim_id: claim.id,
      line_number: l.lineNumber,
      procedure_id: l.procedureId,
      procedure_code: l.procedureCode,
      code_system: l.codeSystem,
      display: l.display,
      units: l.units,
      modifiers: [...l.modifiers],
      charge_cents: l.chargeCents,
      service_date: l.serviceDate,
      rendering_provider_id: l.renderingProviderId,
      pointers: [...l.pointers],
    }));
    const diagnoses = draft.diagnoses.map((x) => ({ claim_id: claim.id, position: x.position, code: x.code, description: x.description }));
    ctx.plan.claims.push(claim);
    ctx.plan.claimLines.push(...lines);
    ctx.plan.claimDiagnoses.push(...diagnoses);

    const life = new ClaimLife(capturedAt);
    const findings = scrubClaim(
      toScrubInput(
        { ...claim, capture_issues: [...draft.issues], snapshot },
        {
          lines,
          diagnoses,
          coverages: ctx.coverages,
          providers: [...new Set(lines.map((l) => l.rendering_provider_id))].map((id) => practice.providerById.get(id) ?? null),
        },
      ),
    );
    const settle = (): void => {
      claim.status = life.status;
      claim.updated_at = life.changedAt;
    };
    if (hasErrors(findings) || !coverage) return settle();
    const submitAt = this.#time.later(
      b,
      capturedAt,
      b.weighted([
        [55, 0],
        [30, 1],
        [10, b.int(2, 4)],
        [5, b.int(5, 14)],
      ]),
    );
    if (!this.#time.isPast(submitAt)) {
      if (b.chance(0.3) && this.#time.isPast(new Date(capturedAt.getTime() + 1440 * MINUTE)))
        life.move('ready', new Date(capturedAt.getTime() + b.int(60, 1440) * MINUTE));
      return settle();
    }
    life.move('ready', new Date(submitAt.getTime() - b.int(1, 30) * MINUTE));
    life.move('submitted', submitAt);
    Object.assign(claim, {
      payer_id: coverage.payer_id,
      coverage_id: coverage.id,
      submitted_at: submitAt,
      first_submitted_at: submitAt,
      first_submission_clean: findings.length === 0,
    });
    let lastSubmission = submitAt;
    if (b.chance(0.015)) {
      // The clearinghouse rejected the form; the biller corrected it and sent it again.
      const rejectedAt = this.#time.later(b, submitAt, 1);
      if (!this.#time.isPast(rejectedAt)) return settle();
      life.move('rejected', rejectedAt);
      const correctedAt = this.#time.later(b, rejectedAt, b.int(1, 3));
      if (!this.#time.isPast(correctedAt)) return settle();
      life.move('draft', correctedAt);
      const resubmitAt = this.#time.later(b, correctedAt, b.int(0, 2));
      if (!this.#time.isPast(resubmitAt)) return settle();
      life.move('ready', correctedAt);
      life.move('submitted', resubmitAt);
      claim.submitted_at = resubmitAt;
      lastSubmission = resubmitAt;
    }
    this.#compliance(ctx, visit, signed, claim.id, submitAt);
    this.#adjudicate(ctx, claim, lines, life, coverage, lastSubmission, deskCopay);
    settle();
  }

  /**
   * The `encounter.documented` event the EHR writes in the transaction that signs a note (or adds an
   * addendum that changes the coding): its outbox row, delivered by the relay at `receivedAt`, and the
   * PMS's inbox row for it. The payload is the EHR's (the encounter's coding in recording order, each
   * procedure's links in pointer order), parsed as the PMS's intake parses it.
   */
  #announce(
    ctx: PatientContext,
    event: {
      readonly id: string;
      readonly encounterId: string;
      readonly serviceDate: string;
      readonly noteId: string;
      readonly signedAt: Date;
      readonly signedBy: string;
      readonly addendumId: string | null;
      readonly occurredAt?: Date;
      readonly diagnoses: readonly DiagnosisInsert[];
      readonly procedures: readonly ProcedureInsert[];
      readonly links: ReadonlyMap<string, readonly DiagnosisInsert[]>;
      readonly receivedAt: Date;
      readonly outcome: InboxOutcome;
      readonly claimId: string;
    },
  ): { facts: EncounterDocumented; factsJson: string } {
    const facts = encounterDocumentedV1.parse({
      version: 1,
      encounterId: event.encounterId,
      patientId: ctx.patient.id,
      serviceDate: event.serviceDate,
      noteId: event.noteId,
      signedAt: event.signedAt.toISOString(),
      signedBy: event.signedBy,
      addendumId: event.addendumId,
      diagnoses: event.diagnoses.map((x) => ({ id: x.id, code: x.code, description: x.description })),
      procedures: event.procedures.map((p) => ({
        id: p.id,
        code: p.code,
        codeSystem: p.code_system,
        display: p.display,
        units: p.units,
        modifiers: p.modifiers,
        performerId: p.performer_id,
        noteId: p.note_id,
        diagnoses: (event.links.get(p.id) ?? []).map((x, i) => ({ id: x.id, code: x.code, position: i + 1 })),
      })),
    });
    const factsJson = JSON.stringify(facts);
    const occurredAt = event.occurredAt ?? event.signedAt;
    ctx.plan.outbox.push({
      id: event.id,
      event_type: ENCOUNTER_DOCUMENTED,
      aggregate_id: event.encounterId,
      payload: factsJson,
      created_at: occurredAt,
      published_at: event.receivedAt,
      attempts: 1,
      next_attempt_at: occurredAt,
    });
    ctx.plan.inbox.push({
      event_id: event.id,
      event_type: ENCOUNTER_DOCUMENTED,
      aggregate_id: event.encounterId,
      occurred_at: occurredAt,
      received_at: event.receivedAt,
      outcome: event.outcome,
      claim_id: event.claimId,
    });
    return { facts, factsJson };
  }

  /** The fees in force on a date of service (the latest row effective on or before it, per code). */
  #feesOn(date: string): Map<string, number> {
    let fees = this.#feesByDate.get(date);
    if (!fees) {
      fees = new Map();
      for (const [key, history] of this.#practice.fees) {
        const inForce = history.find((f) => f.from <= date);
        if (inForce) fees.set(key, inForce.cents);
      }
      this.#feesByDate.set(date, fees);
    }
    return fees;
  }

  /**
   * What compliance reviews find, a little of each: coding changed by an addendum after the claim
   * went out, a plain addendum after submission, a second note left unsigned, or signed after
   * submission. (Late signatures come from the signing delays.) What the EHR announces then reaches
   * the PMS after the claim left draft, so the claim stays as billed (`claim_not_draft`).
   */
  #compliance(ctx: PatientContext, visit: Visit, signed: Signed, claimId: string, submittedAt: Date): void {
    const d = this.#random.documentation;
    const practice = this.#practice;
    const providerId = practice.providers[visit.providerIndex]?.id ?? '';
    const kind = d.weighted<'coding' | 'addendum' | 'draft_note' | 'late_note' | null>([
      [12, 'coding'],
      [15, 'addendum'],
      [10, 'draft_note'],
      [5, 'late_note'],
      [958, null],
    ]);
    if (kind === null) return;
    const at = this.#time.later(d, submittedAt, d.int(1, 20));
    if (!this.#time.isPast(at)) return;
    const announced = {
      encounterId: visit.encounterId,
      serviceDate: dateOf(visit.booking.day),
      receivedAt: new Date(at.getTime() + d.int(1, 3) * 1000),
      outcome: 'claim_not_draft',
      claimId,
    } as const;
    if (kind === 'coding' || kind === 'addendum') {
      const addendumId = d.uuid();
      const first = signed.diagnoses[0];
      if (kind === 'coding' && first) {
        // The venipuncture done at the visit, recorded after the claim was sent: the claim no longer matches the chart.
        const procedure: ProcedureInsert = {
          id: d.uuid(),
          encounter_id: visit.encounterId,
          patient_id: ctx.patient.id,
          note_id: signed.noteId,
          code: '36415',
          code_system: 'cpt',
          display: CPT_LABELS['36415'] ?? '36415',
          units: 1,
          modifiers: [],
          performer_id: providerId,
          recorded_by: 'seed',
          created_at: new Date(at.getTime() - MINUTE),
        };
        ctx.plan.procedures.push(procedure);
        ctx.plan.links.push({ procedure_id: procedure.id, diagnosis_id: first.id, position: 1 });
        this.#announce(ctx, {
          ...announced,
          id: d.uuid(),
          noteId: signed.noteId,
          signedAt: signed.signedAt,
          signedBy: providerId,
          addendumId,
          occurredAt: at,
          diagnoses: signed.diagnoses,
          procedures: [...signed.procedures, procedure],
          links: new Map([...signed.links, [procedure.id, [first]]]),
        });
      }
      ctx.plan.addenda.push({
        id: addendumId,
        note_id: signed.noteId,
        author_id: providerId,
        recorded_by: 'seed',
        created_at: at,
        changes_coding: kind === 'coding' && first !== undefined,
        text:
          kind === 'coding'
            ? 'Addendum: blood draw performed at the visit, not recorded at signing.'
            : 'Addendum: patient called; symptoms improving.',
      });
      return;
    }
    const noteId = d.uuid();
    const signing = new Date(at.getTime() + 30 * MINUTE);
    const signedAt = kind === 'late_note' && this.#time.isPast(signing) ? signing : null;
    ctx.plan.notes.push({
      id: noteId,
      encounter_id: visit.encounterId,
      patient_id: ctx.patient.id,
      author_id: providerId,
      kind: 'progress',
      status: signedAt ? 'signed' : 'draft',
      subjective: 'Follow-up call about the visit.',
      objective: null,
      assessment: signedAt ? 'Stable.' : null,
      plan: signedAt ? 'No change.' : null,
      version: signedAt ? 2 : 1,
      created_at: at,
      updated_at: signedAt ?? at,
      signed_at: signedAt,
      signed_by: signedAt ? providerId : null,
    });
    if (signedAt) {
      this.#announce(ctx, {
        ...announced,
        receivedAt: new Date(signedAt.getTime() + d.int(1, 3) * 1000),
        id: d.uuid(),
        noteId,
        signedAt,
        signedBy: providerId,
        addendumId: null,
        diagnoses: signed.diagnoses,
        procedures: signed.procedures,
        links: signed.links,
      });
    }
  }

  /** The patient's plan benefits for the coverage's year of service (the deductible is drawn down across claims). */
  #benefitsFor(coverage: CoverageRow, serviceDate: string): PlanBenefits {
    const key = `${coverage.id}|${serviceDate.slice(0, 4)}`;
    let benefits = this.#benefits.get(key);
    if (!benefits) {
      benefits = {
        copayCents: coverage.copay_cents ?? 0,
        coinsurancePercent: COINSURANCE[coverage.plan_name ?? ''] ?? 20,
        deductibleLeftCents: coverage.deductible_cents ?? 0,
      };
      this.#benefits.set(key, benefits);
    }
    return benefits;
  }

  /** The payer's weekly payment day on or after a day: Tuesday, Wednesday or Thursday by payer. */
  #paymentDay(payerIndex: number, from: number): number {
    let day = from;
    while (weekdayOf(day) !== 2 + (payerIndex % 3)) day += 1;
    return day;
  }

  /** Remittances are posted the next weekday after their payment date, each payer's at its own time. */
  #postedAt(payerIndex: number, paymentDay: number): Date {
    return this.#time.clock.at(weekdayOnOrAfter(paymentDay + 1), 10 * 60 + 20 * (payerIndex % 3));
  }

  /** Posts one adjudication in its remittance and returns what the claim now is. */
  #post(
    ctx: PatientContext,
    claim: ClaimInsert,
    lines: readonly ClaimLineInsert[],
    payerIndex: number,
    paymentDay: number,
    adjudicated: readonly RemittanceLineInput[],
  ): Date {
    const a = this.#random.adjudication;
    const payer = this.#practice.payers[payerIndex];
    if (!payer) throw new Error('Unknown payer');
    const postedAt = this.#postedAt(payerIndex, paymentDay);
    const lineIds = new Map(lines.map((l) => [l.line_number, l.id]));
    this.#remittances.add(ctx.block, payer, dateOf(paymentDay), postedAt, () => a.uuid(), {
      claimId: claim.id,
      lines: adjudicated.map((input) => ({
        id: a.uuid(),
        claimLineId: lineIds.get(input.lineNumber) ?? '',
        adjustmentIds: input.adjustments.map(() => a.uuid()),
        input,
      })),
    });
    return postedAt;
  }

  #adjudicate(
    ctx: PatientContext,
    claim: ClaimInsert,
    lines: readonly ClaimLineInsert[],
    life: ClaimLife,
    coverage: CoverageRow,
    submittedAt: Date,
    deskCopay: number,
  ): void {
    const a = this.#random.adjudication;
    const acceptedAt = this.#time.later(a, submittedAt, a.int(1, 2));
    if (!this.#time.isPast(acceptedAt)) return;
    life.move('accepted', acceptedAt);
    // A few claims the payer never answers: they age in A/R until someone follows up.
    if (a.chance(0.02)) return;
    const payerIndex = this.#practice.payers.findIndex((p) => p.id === coverage.payer_id);
    const paymentDay = this.#paymentDay(payerIndex, this.#time.clock.dayOf(acceptedAt) + a.int(10, 30) + 4 * payerIndex);
    if (!this.#time.isPast(this.#postedAt(payerIndex, paymentDay))) return;

    const facts = lines.map((l) => ({ lineNumber: l.line_number, code: l.procedure_code, chargeCents: l.charge_cents }));
    const decision = this.#decide(a, facts);
    const benefits = this.#benefitsFor(coverage, lines[0]?.service_date ?? dateOf(this.#time.today));
    const first = adjudicate(payerIndex, facts, benefits, decision);
    const postedAt = this.#post(ctx, claim, lines, payerIndex, paymentDay, first);
    for (const to of remittancePath(life.status, adjudicatedStatus(first))) life.move(to, postedAt);
    claim.adjudicated_at = postedAt;
    this.#statement(ctx, claim, first, postedAt, deskCopay);

    const reason =
      decision.kind === 'deny_claim' || decision.kind === 'deny_line'
        ? DENIAL_REASONS.find((x) => x.reason === decision.reason)
        : undefined;
    if (!reason) return;
    if (life.status === 'denied' && reason.appeal === null) {
      // Denials billers do not contest (duplicates, timely filing, coverage ended, another payer's) are mostly written off.
      const voidAt = this.#time.later(a, postedAt, a.int(7, 40));
      if (a.chance(0.7) && this.#time.isPast(voidAt)) life.move('void', voidAt);
      return;
    }
    if (reason.appeal === null || !a.chance(life.status === 'denied' ? 0.55 : 0.3)) return;
    const appealedAt = this.#time.later(a, postedAt, a.int(5, 25));
    if (!this.#time.isPast(appealedAt)) return;
    ctx.plan.appeals.push({ id: a.uuid(), claim_id: claim.id, reason: reason.appeal, appealed_by: 'seed', appealed_at: appealedAt });
    life.move('appealed', appealedAt);
    // A partially paid claim's appeal stays open: re-adjudicating it would post its paid lines again.
    if (decision.kind !== 'deny_claim') return;
    const outcome = a.weighted<'overturned' | 'upheld' | 'pending'>([
      [60, 'overturned'],
      [25, 'upheld'],
      [15, 'pending'],
    ]);
    const decisionDay = this.#paymentDay(payerIndex, this.#time.clock.dayOf(appealedAt) + a.int(20, 50));
    if (outcome === 'pending' || !this.#time.isPast(this.#postedAt(payerIndex, decisionDay))) return;
    const second = adjudicate(payerIndex, facts, benefits, outcome === 'overturned' ? { kind: 'pay' } : decision);
    const secondPostedAt = this.#post(ctx, claim, lines, payerIndex, decisionDay, second);
    for (const to of remittancePath(life.status, adjudicatedStatus(second))) life.move(to, secondPostedAt);
    this.#statement(ctx, claim, second, secondPostedAt, 0);
    const voidAt = this.#time.later(a, secondPostedAt, a.int(10, 30));
    if (outcome === 'upheld' && a.chance(0.5) && this.#time.isPast(voidAt)) life.move('void', voidAt);
  }

  /** About one claim in fifteen denied whole, one multi-line claim in fifteen with one line denied, a few lines not covered. */
  #decide(a: SeededRandom, lines: ReadonlyArray<{ readonly lineNumber: number }>): PayerDecision {
    const roll = a.next();
    const pickReason = (scopes: ReadonlyArray<'claim' | 'line' | 'either'>) =>
      a.weighted(DENIAL_REASONS.filter((x) => scopes.includes(x.scope)).map((x): Weighted<string> => [x.weight, x.reason]));
    if (roll < 0.065) return { kind: 'deny_claim', reason: pickReason(['claim', 'either']) };
    const later = lines.slice(1);
    if (later.length === 0) return { kind: 'pay' };
    if (roll < 0.135) return { kind: 'deny_line', lineNumber: a.pick(later).lineNumber, reason: pickReason(['line', 'either']) };
    if (roll < 0.15) return { kind: 'not_covered', lineNumber: a.pick(later).lineNumber };
    return { kind: 'pay' };
  }

  /**
   * The patient's statement after a remittance: what the payer made the patient's (less a copay
   * already taken at the desk), paid in full by most, in part by some, not at all by others.
   */
  #statement(ctx: PatientContext, claim: ClaimInsert, lines: readonly RemittanceLineInput[], postedAt: Date, deskCopay: number): void {
    const p = this.#random.payments;
    const due = lines.reduce((sum, l) => sum + l.patientResponsibilityCents, 0) - deskCopay;
    if (due <= 0) return;
    const share = p.weighted<number>([
      [60, 1],
      [15, p.int(3, 7) / 10],
      [25, 0],
    ]);
    const amount = Math.floor(due * share);
    const receivedDay = this.#time.clock.dayOf(postedAt) + p.int(7, 60);
    if (amount <= 0 || receivedDay > this.#time.today) return;
    const method = p.weighted(STATEMENT_METHODS);
    ctx.plan.patientPayments.push({
      id: p.uuid(),
      patient_id: ctx.patient.id,
      claim_id: claim.id,
      amount_cents: amount,
      method,
      reference: method === 'check' ? `CHK${p.digits(6)}` : method === 'card' ? `AUTH${p.alphanumeric(6)}` : null,
      received_on: dateOf(receivedDay),
      posted_by: 'seed',
      posted_at: this.#time.clock.at(receivedDay, 10 * 60 + p.int(0, 119)),
    });
  }
}
