import type { ClaimDiagnosisRow, ClaimLineRow, ClaimRow, EncounterRow, InboxOutcome, NewClaim, PmsDatabase } from '@chartbridge/db';
import { uuidsOnly } from '@chartbridge/kit';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ClaimDraft } from '../rules/claim-lines.js';

/** A claim line with its claim's patient (lines belong to the patient of their claim). */
export type ClaimLineWithPatient = ClaimLineRow & { patient_id: string };

export async function findClaimsByIds(db: Kysely<PmsDatabase>, ids: readonly string[]): Promise<ClaimRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db.selectFrom('pms.claim').selectAll().where('id', 'in', valid).execute();
}

/** The claims of these encounters (void ones included), oldest first. */
export async function findClaimsByEncounterIds(db: Kysely<PmsDatabase>, ids: readonly string[]): Promise<ClaimRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db.selectFrom('pms.claim').selectAll().where('encounter_id', 'in', valid).orderBy('created_at').orderBy('id').execute();
}

/** The claims of these patients (void ones included), oldest first. */
export async function findClaimsByPatientIds(db: Kysely<PmsDatabase>, ids: readonly string[]): Promise<ClaimRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db.selectFrom('pms.claim').selectAll().where('patient_id', 'in', valid).orderBy('created_at').orderBy('id').execute();
}

export async function findLinesByClaimIds(db: Kysely<PmsDatabase>, ids: readonly string[]): Promise<ClaimLineWithPatient[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db
    .selectFrom('pms.claim_line as l')
    .innerJoin('pms.claim as c', 'c.id', 'l.claim_id')
    .selectAll('l')
    .select('c.patient_id')
    .where('l.claim_id', 'in', valid)
    .orderBy('l.claim_id')
    .orderBy('l.line_number')
    .execute();
}

export async function findDiagnosesByClaimIds(db: Kysely<PmsDatabase>, ids: readonly string[]): Promise<ClaimDiagnosisRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db.selectFrom('pms.claim_diagnosis').selectAll().where('claim_id', 'in', valid).orderBy('claim_id').orderBy('position').execute();
}

/**
 * The fees in force on a date of service for these codes (the latest row effective on or before
 * it, per code), as `system:code` to cents.
 */
export async function findFeesOn(
  db: Kysely<PmsDatabase>,
  codes: ReadonlyArray<{ readonly codeSystem: 'cpt' | 'hcpcs'; readonly code: string }>,
  serviceDate: string,
): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map();
  const { rows } = await sql<{ code_system: string; code: string; amount_cents: number }>`
    select distinct on (f.code_system, f.code) f.code_system, f.code, f.amount_cents
      from unnest(${codes.map((c) => c.codeSystem)}::text[], ${codes.map((c) => c.code)}::text[]) as k (code_system, code)
      join pms.fee_schedule f on f.code_system = k.code_system and f.code = k.code and f.effective_from <= ${serviceDate}::date
     order by f.code_system, f.code, f.effective_from desc`.execute(db);
  return new Map(rows.map((r) => [`${r.code_system}:${r.code}`, Number(r.amount_cents)]));
}

/**
 * Records an event as received, unless it already was: returns false for a redelivery (the row
 * exists). A concurrent delivery of the same id waits here for the first to commit or roll back.
 */
export async function recordInboxEvent(
  trx: Transaction<PmsDatabase>,
  event: {
    readonly id: string;
    readonly type: string;
    readonly aggregateId: string;
    readonly occurredAt: Date;
    readonly outcome: InboxOutcome;
  },
): Promise<boolean> {
  const inserted = await trx
    .insertInto('pms.event_inbox')
    .values({
      event_id: event.id,
      event_type: event.type,
      aggregate_id: event.aggregateId,
      occurred_at: event.occurredAt,
      outcome: event.outcome,
    })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function settleInboxEvent(
  trx: Transaction<PmsDatabase>,
  eventId: string,
  outcome: InboxOutcome,
  claimId: string | null,
): Promise<void> {
  await trx.updateTable('pms.event_inbox').set({ outcome, claim_id: claimId }).where('event_id', '=', eventId).execute();
}

/** Locks the encounter, so that two events of one encounter build its claim one after the other. */
export async function lockEncounter(trx: Transaction<PmsDatabase>, id: string): Promise<EncounterRow | undefined> {
  return trx.selectFrom('pms.encounter').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The encounter's claim that is not void (at most one), locked. */
export async function lockLiveClaim(trx: Transaction<PmsDatabase>, encounterId: string): Promise<ClaimRow | undefined> {
  return trx
    .selectFrom('pms.claim')
    .selectAll()
    .where('encounter_id', '=', encounterId)
    .where('status', '<>', 'void')
    .forUpdate()
    .executeTakeFirst();
}

/** Where an encounter took place: its checked-in appointment's location; null for a walk-in without one. */
export async function findEncounterLocation(trx: Transaction<PmsDatabase>, encounterId: string): Promise<string | null> {
  const row = await trx.selectFrom('pms.appointment').select('location_id').where('encounter_id', '=', encounterId).executeTakeFirst();
  return row?.location_id ?? null;
}

export async function insertClaim(trx: Transaction<PmsDatabase>, row: NewClaim): Promise<ClaimRow> {
  return trx.insertInto('pms.claim').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateClaimCapture(
  trx: Transaction<PmsDatabase>,
  id: string,
  changes: Pick<NewClaim, 'total_charge_cents' | 'capture_issues' | 'snapshot' | 'source_event_id' | 'source_event_at' | 'provider_id'>,
): Promise<ClaimRow> {
  return trx
    .updateTable('pms.claim')
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Replaces a claim's diagnosis list and lines with the draft's. */
export async function replaceClaimContent(
  trx: Transaction<PmsDatabase>,
  claimId: string,
  draft: ClaimDraft,
): Promise<{ lines: ClaimLineRow[]; diagnoses: ClaimDiagnosisRow[] }> {
  await trx.deleteFrom('pms.claim_line').where('claim_id', '=', claimId).execute();
  await trx.deleteFrom('pms.claim_diagnosis').where('claim_id', '=', claimId).execute();
  const diagnoses =
    draft.diagnoses.length === 0
      ? []
      : await trx
          .insertInto('pms.claim_diagnosis')
          .values(draft.diagnoses.map((d) => ({ claim_id: claimId, position: d.position, code: d.code, description: d.description })))
          .returningAll()
          .execute();
  const lines =
    draft.lines.length === 0
      ? []
      : await trx
          .insertInto('pms.claim_line')
          .values(
            draft.lines.map((l) => ({
              claim_id: claimId,
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
            })),
          )
          .returningAll()
          .execute();
  return { lines, diagnoses };
}

/** A claim's current lines and diagnoses, for its audit record's before state. */
export async function findClaimContent(
  trx: Transaction<PmsDatabase>,
  claimId: string,
): Promise<{ lines: ClaimLineRow[]; diagnoses: ClaimDiagnosisRow[] }> {
  const [lines, diagnoses] = await Promise.all([
    trx.selectFrom('pms.claim_line').selectAll().where('claim_id', '=', claimId).orderBy('line_number').execute(),
    trx.selectFrom('pms.claim_diagnosis').selectAll().where('claim_id', '=', claimId).orderBy('position').execute(),
  ]);
  return { lines, diagnoses };
}
