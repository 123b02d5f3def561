import { seedDatabase, type FieldKeyring, type SeedDatabase, type SeedSummary, type SyntheticDataOptions } from '@chartbridge/db';
import type { Kysely } from 'kysely';
import { loadPracticeTimeZone } from '../config.js';
import { RevenueCycleSeed, type RevenueCycleSummary } from './revenue-cycle.seed.js';

export interface PracticeSeedOptions extends SyntheticDataOptions {
  readonly reset?: boolean;
  /** Seals patients' SSNs: the PMS subgraph's keyring (or one it opens). */
  readonly keyring: FieldKeyring;
  /** The practice's IANA time zone; by default PRACTICE_TIME_ZONE's, as the PMS subgraph's. */
  readonly timeZone?: string;
  /** Told the claims done and the total while the report tables are computed after the load. */
  readonly onReportProgress?: (claimsDone: number, claims: number) => void;
}

/** What the seed wrote: the practice's totals (encounters, notes and coverages of both parts), and the revenue cycle by kind. */
export interface PracticeSeedSummary extends SeedSummary {
  readonly revenueCycle: RevenueCycleSummary;
}

/**
 * Seeds a whole synthetic practice, deterministic for a seed: the registration and clinical history
 * of `@chartbridge/db`'s seed and, batch by batch in the same transaction, its revenue cycle
 * (appointments, documented visits, claims, remittances, appeals, patient payments). All or
 * nothing: a failure leaves the database as it was. Connect as the owner (both schemas).
 */
export async function seedPractice(
  db: Kysely<SeedDatabase>,
  options: PracticeSeedOptions,
  onProgress?: (patientsDone: number) => void,
): Promise<PracticeSeedSummary> {
  const stage = new RevenueCycleSeed({
    seed: options.seed,
    ...(options.today !== undefined ? { today: options.today } : {}),
    timeZone: options.timeZone ?? loadPracticeTimeZone(),
  });
  const practice = await seedDatabase(db, options, onProgress, stage);
  const cycle = stage.summary;
  return {
    ...practice,
    encounters: practice.encounters + cycle.encounters,
    notes: practice.notes + cycle.notes,
    coverages: practice.coverages + cycle.coverages,
    revenueCycle: cycle,
  };
}

const count = (counts: Readonly<Record<string, number>>): string =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status.replace('_', ' ')}`)
    .join(', ');

/** The summary as lines for a terminal: counts only, never a patient's data. */
export function describeSeed(summary: PracticeSeedSummary): string[] {
  const c = summary.revenueCycle;
  const total = (counts: Readonly<Record<string, number>>) => Object.values(counts).reduce((sum, n) => sum + n, 0);
  return [
    `seeded ${summary.patients} patients, ${summary.providers} providers, ${summary.encounters} encounters, ${summary.allergies} allergies, ${summary.notes} notes`,
    `  ${summary.ssns} SSNs sealed, ${summary.consents} partner consents, ${summary.payers} payers, ${summary.coverages} coverages`,
    `  ${summary.locations} locations, ${summary.rooms} rooms, ${summary.availability} weekly hours`,
    `  ${total(c.appointments)} appointments: ${count(c.appointments)}; ${c.eligibilityChecks} eligibility checks`,
    `  ${c.encounters} checked-in encounters with ${c.notes} notes, ${c.addenda} addenda, ${c.diagnoses} diagnoses, ${c.procedures} procedures`,
    `  ${c.events} encounter.documented events (EHR outbox, delivered; PMS inbox)`,
    `  ${total(c.claims)} claims (${c.claimLines} lines, ${c.claimDiagnoses} diagnoses): ${count(c.claims)}`,
    `  ${c.remittances} remittances, ${c.remittanceLines} remittance lines (${c.deniedLines} denied), ${c.adjustments} adjustments, ${c.appeals} appeals`,
    `  ${c.patientPayments} patient payments (${c.paymentsOnAccount} on account)`,
  ];
}
