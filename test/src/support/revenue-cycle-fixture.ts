import { randomUUID } from 'node:crypto';
import type { AdjustmentGroup, ClaimStatus, EhrDatabase, PmsDatabase } from '@chartbridge/db';
import type { Kysely } from 'kysely';

// A hand-built practice for the revenue-cycle reports: two providers, two payers, two locations,
// thirteen claims (one void, one never submitted) with their lines, remittances (payments,
// contractual and patient-responsibility adjustments, denials, an appeal paid later, a payer's
// reversal and its corrected payment), patient
// payments (one on account) and, for the compliance report, the EHR documentation behind them.
// db/reports.fixture.test.ts works every number out by hand from the table below; keep them in step.
//
// Times carry their offset in the practice's zone (America/New_York: EST -05:00, EDT -04:00 from
// 2026-03-08), and a few sit on purpose near midnight, where the UTC day is not the practice's.

export const FIXTURE_TIME_ZONE = 'America/New_York';

type Label = 'C1' | 'C2' | 'C3' | 'C4' | 'C5' | 'C6' | 'C7' | 'C8' | 'C9' | 'C10' | 'C11' | 'C13' | 'C14';
type Adjustment = readonly [AdjustmentGroup, string, number];

interface LineSpec {
  readonly code: string;
  readonly chargeCents: number;
  readonly units?: number;
  /** The line's own date of service when it differs from the encounter's. */
  readonly serviceDate?: string;
  readonly pointers?: readonly number[];
  /** The diagnoses the EHR linked to the procedure (default: the claim's first). */
  readonly links?: readonly string[];
  /** The documented procedure's code when the EHR's differs from the billed one (an amendment). */
  readonly documentedCode?: string;
}

interface ClaimSpec {
  readonly provider: 'P1' | 'P2';
  readonly payer: 'A' | 'B' | null;
  readonly location: 'L1' | 'L2' | null;
  readonly patient: string;
  /** Claims of one encounter share it (a void claim and its replacement). */
  readonly encounter?: string;
  readonly serviceDate: string;
  readonly status: ClaimStatus;
  readonly createdAt: string;
  readonly firstSubmittedAt: string | null;
  /** Rejected by the clearinghouse, corrected and sent again then (default: never). */
  readonly resubmittedAt?: string;
  readonly clean: boolean | null;
  readonly lines: readonly LineSpec[];
  readonly diagnoses?: readonly string[];
  /** The EHR's diagnoses of the encounter (default: the claim's). */
  readonly documentedDiagnoses?: readonly string[];
  /** The encounter's note: signed or a draft, and an addendum written later. */
  readonly note?: { readonly createdAt: string; readonly signedAt: string | null; readonly addendumAt?: string };
  /**
   * Remittances, each adjudicating every line in order: paid and adjustments (allowed = paid + PR);
   * or a payer's reversal, negating every posting still in force (as payment.service.ts writes it).
   */
  readonly remits?: ReadonlyArray<
    | { readonly date: string; readonly lines: ReadonlyArray<{ readonly paid: number; readonly adj: readonly Adjustment[] }> }
    | { readonly date: string; readonly reverse: true }
  >;
  readonly patientPayments?: ReadonlyArray<{ readonly on: string; readonly cents: number }>;
}

export const FIXTURE_CLAIMS: Readonly<Record<Label, ClaimSpec>> = {
  C1: {
    provider: 'P1',
    payer: 'A',
    location: 'L1',
    patient: 'pat1',
    serviceDate: '2026-01-05',
    status: 'paid',
    createdAt: '2026-01-06T10:00:00-05:00',
    firstSubmittedAt: '2026-01-07T09:00:00-05:00',
    resubmittedAt: '2026-01-09T09:00:00-05:00',
    clean: true,
    lines: [{ code: '99213', chargeCents: 12500 }],
    diagnoses: ['J06.9'],
    note: { createdAt: '2026-01-05T09:30:00-05:00', signedAt: '2026-01-05T18:00:00-05:00' },
    remits: [
      {
        date: '2026-01-20',
        lines: [
          {
            paid: 8000,
            adj: [
              ['CO', '45', 2500],
              ['PR', '2', 2000],
            ],
          },
        ],
      },
    ],
    patientPayments: [{ on: '2026-02-03', cents: 2000 }],
  },
  C2: {
    provider: 'P1',
    payer: 'A',
    location: 'L1',
    patient: 'pat1',
    serviceDate: '2026-01-10',
    status: 'partially_paid',
    createdAt: '2026-01-12T11:00:00-05:00',
    firstSubmittedAt: '2026-01-13T08:00:00-05:00',
    clean: false,
    lines: [
      { code: '99214', chargeCents: 18000 },
      { code: '36415', chargeCents: 1500 },
    ],
    diagnoses: ['E11.9'],
    note: { createdAt: '2026-01-10T09:00:00-05:00', signedAt: '2026-01-20T12:00:00-05:00' },
    remits: [
      {
        date: '2026-02-10',
        lines: [
          { paid: 15000, adj: [['CO', '45', 3000]] },
          {
            paid: 0,
            adj: [
              ['CO', '97', 1000],
              ['CO', '16', 500],
            ],
          },
        ],
      },
    ],
  },
  C3: {
    provider: 'P2',
    payer: 'B',
    location: 'L2',
    patient: 'pat3',
    serviceDate: '2026-01-15',
    status: 'paid',
    createdAt: '2026-01-20T10:00:00-05:00',
    firstSubmittedAt: '2026-01-21T10:00:00-05:00',
    clean: true,
    lines: [{ code: '99203', chargeCents: 16000, documentedCode: '99202' }],
    diagnoses: ['J02.9'],
    note: { createdAt: '2026-01-15T09:00:00-05:00', signedAt: '2026-01-15T17:00:00-05:00' },
    remits: [
      { date: '2026-02-15', lines: [{ paid: 0, adj: [['CO', '50', 16000]] }] },
      { date: '2026-03-20', lines: [{ paid: 12000, adj: [['CO', '45', 4000]] }] },
    ],
  },
  C4: {
    provider: 'P1',
    payer: 'A',
    location: 'L1',
    patient: 'pat4',
    serviceDate: '2025-12-20',
    status: 'paid',
    createdAt: '2025-12-22T10:00:00-05:00',
    firstSubmittedAt: '2025-12-23T10:00:00-05:00',
    clean: true,
    lines: [{ code: '99214', chargeCents: 18000 }],
    remits: [
      { date: '2026-01-08', lines: [{ paid: 14000, adj: [['CO', '45', 4000]] }] },
      // The payer takes the payment back in April and pays it again, corrected, ten days later.
      { date: '2026-04-10', reverse: true },
      { date: '2026-04-20', lines: [{ paid: 15000, adj: [['CO', '45', 3000]] }] },
    ],
  },
  C5: {
    provider: 'P2',
    payer: 'A',
    location: 'L2',
    patient: 'pat5',
    serviceDate: '2026-02-02',
    status: 'submitted',
    createdAt: '2026-02-03T10:00:00-05:00',
    firstSubmittedAt: '2026-02-04T10:00:00-05:00',
    clean: false,
    lines: [{ code: '99215', chargeCents: 25000, serviceDate: '2026-02-03' }],
    diagnoses: ['I10'],
    note: { createdAt: '2026-02-02T09:00:00-05:00', signedAt: '2026-02-02T17:00:00-05:00' },
    patientPayments: [{ on: '2026-02-02', cents: 3000 }],
  },
  C6: {
    provider: 'P1',
    payer: 'B',
    location: 'L1',
    patient: 'pat6',
    serviceDate: '2026-03-25',
    status: 'submitted',
    createdAt: '2026-03-26T10:00:00-04:00',
    firstSubmittedAt: '2026-03-31T23:30:00-04:00',
    clean: true,
    lines: [{ code: '99213', chargeCents: 12500, links: ['I10', 'E78.5'] }],
    diagnoses: ['I10', 'E78.5'],
    note: { createdAt: '2026-03-25T09:00:00-04:00', signedAt: '2026-03-25T16:00:00-04:00' },
  },
  C7: {
    provider: 'P2',
    payer: null,
    location: 'L1',
    patient: 'pat7',
    serviceDate: '2026-03-30',
    status: 'draft',
    createdAt: '2026-03-31T09:00:00-04:00',
    firstSubmittedAt: null,
    clean: null,
    lines: [{ code: '99212', chargeCents: 8000 }],
  },
  C8: {
    provider: 'P1',
    payer: 'A',
    location: 'L1',
    patient: 'pat8',
    encounter: 'E8',
    serviceDate: '2026-02-10',
    status: 'void',
    createdAt: '2026-02-11T10:00:00-05:00',
    firstSubmittedAt: '2026-02-12T10:00:00-05:00',
    clean: false,
    lines: [{ code: '99213', chargeCents: 12500 }],
  },
  C9: {
    provider: 'P1',
    payer: 'A',
    location: 'L1',
    patient: 'pat8',
    encounter: 'E8',
    serviceDate: '2026-02-10',
    status: 'paid',
    createdAt: '2026-02-20T10:00:00-05:00',
    firstSubmittedAt: '2026-02-21T10:00:00-05:00',
    clean: true,
    lines: [{ code: '99213', chargeCents: 12500 }],
    diagnoses: ['J20.9'],
    note: { createdAt: '2026-02-10T09:00:00-05:00', signedAt: '2026-02-10T15:00:00-05:00', addendumAt: '2026-03-01T10:00:00-05:00' },
    remits: [
      {
        date: '2026-03-10',
        lines: [
          {
            paid: 9000,
            adj: [
              ['CO', '45', 2500],
              ['PR', '1', 1000],
            ],
          },
        ],
      },
    ],
    patientPayments: [{ on: '2026-03-15', cents: 400 }],
  },
  C10: {
    provider: 'P2',
    payer: 'B',
    location: 'L2',
    patient: 'pat10',
    serviceDate: '2025-10-01',
    status: 'denied',
    createdAt: '2025-10-03T10:00:00-04:00',
    firstSubmittedAt: '2025-10-05T10:00:00-04:00',
    clean: true,
    lines: [{ code: '99204', chargeCents: 24000 }],
    remits: [{ date: '2025-11-01', lines: [{ paid: 0, adj: [['CO', '16', 24000]] }] }],
  },
  C11: {
    provider: 'P1',
    payer: 'B',
    location: 'L1',
    patient: 'pat11',
    serviceDate: '2025-12-15',
    status: 'paid',
    createdAt: '2025-12-16T10:00:00-05:00',
    firstSubmittedAt: '2026-01-01T03:00:00Z',
    clean: true,
    lines: [{ code: '99215', chargeCents: 25000 }],
    remits: [
      {
        date: '2026-01-25',
        lines: [
          {
            paid: 15000,
            adj: [
              ['CO', '45', 5000],
              ['PR', '2', 5000],
            ],
          },
        ],
      },
    ],
  },
  C13: {
    provider: 'P2',
    payer: 'B',
    location: 'L2',
    patient: 'pat13',
    serviceDate: '2026-01-20',
    status: 'paid',
    createdAt: '2026-02-01T04:30:00Z',
    firstSubmittedAt: '2026-02-02T10:00:00-05:00',
    clean: true,
    lines: [
      { code: '99213', chargeCents: 12500, pointers: [1], links: ['J02.9'] },
      { code: '87880', chargeCents: 3000, units: 2, pointers: [], links: ['J02.9'] },
    ],
    diagnoses: ['J02.9', 'R50.9'],
    documentedDiagnoses: ['J02.9'],
    note: { createdAt: '2026-01-20T09:00:00-05:00', signedAt: '2026-01-20T16:00:00-05:00' },
    remits: [
      {
        date: '2026-02-20',
        lines: [
          { paid: 10000, adj: [['CO', '45', 2500]] },
          {
            paid: 2352,
            adj: [
              ['CO', '45', 600],
              ['CO', '253', 48],
            ],
          },
        ],
      },
    ],
  },
  C14: {
    provider: 'P2',
    payer: 'B',
    location: 'L2',
    patient: 'pat14',
    serviceDate: '2026-04-02',
    status: 'submitted',
    createdAt: '2026-04-03T09:00:00-04:00',
    firstSubmittedAt: '2026-04-03T15:00:00-04:00',
    clean: false,
    lines: [{ code: '20610', chargeCents: 120000 }],
    diagnoses: ['M25.561'],
    note: { createdAt: '2026-04-02T10:00:00-04:00', signedAt: null },
  },
};

export interface RevenueCycleFixture {
  readonly providers: { readonly P1: string; readonly P2: string };
  readonly payers: { readonly A: string; readonly B: string };
  readonly locations: { readonly L1: string; readonly L2: string };
  readonly claims: Readonly<Record<Label, string>>;
  readonly patients: Readonly<Record<string, string>>;
  readonly encounters: Readonly<Record<Label, string>>;
}

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  'J06.9': 'Acute upper respiratory infection, unspecified',
  'E11.9': 'Type 2 diabetes mellitus without complications',
  'J02.9': 'Acute pharyngitis, unspecified',
  I10: 'Essential (primary) hypertension',
  'E78.5': 'Hyperlipidemia, unspecified',
  'J20.9': 'Acute bronchitis, unspecified',
  'R50.9': 'Fever, unspecified',
  'M25.561': 'Pain in right knee',
};

/**
 * Writes the fixture with the owner's connection. `tag` keeps its unique values (NPIs, payer ids,
 * location names, MRNs) apart from any other data in the database, seeded or from another run.
 */
export async function insertRevenueCycleFixture(
  db: Kysely<PmsDatabase & EhrDatabase>,
  tag = randomUUID().slice(0, 6).toUpperCase(),
): Promise<RevenueCycleFixture> {
  const tagNumber = [...tag].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 100_000, 7);
  const digits = (n: number) => String(tagNumber).padStart(5, '0') + String(n).padStart(3, '0');
  const provider = async (n: number, family: string, given: string) =>
    (
      await db
        .insertInto('pms.provider')
        .values({ npi: `17${digits(n)}`, given_names: [given], family_name: family, specialty: 'Family Medicine' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const providers = { P1: await provider(1, 'Adams', 'Ann'), P2: await provider(2, 'Baker', 'Bob') };
  const payer = async (code: string, name: string) =>
    (
      await db
        .insertInto('pms.payer')
        .values({ payer_id: `RFX${code}${tag}`, name: `${name} ${tag}` })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const payers = { A: await payer('A', 'Acme Health'), B: await payer('B', 'Blue Plan') };
  const location = async (name: string) =>
    (
      await db
        .insertInto('pms.location')
        .values({ name: `${name} ${tag}` })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const locations = { L1: await location('Main Street'), L2: await location('North Clinic') };

  const patients: Record<string, string> = {};
  const patientOf = async (label: string) => {
    patients[label] ??= (
      await db
        .insertInto('pms.patient')
        .values({
          mrn: `RFX-${tag}-${label.toUpperCase()}`,
          given_names: ['Fixture'],
          family_name: `Patient${label}`,
          birth_date: '1970-01-01',
          sex: 'unknown',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    return patients[label];
  };
  const sharedEncounters: Record<string, string> = {};
  const claims = {} as Record<Label, string>;
  const encounters = {} as Record<Label, string>;
  let trace = 0;

  for (const [label, spec] of Object.entries(FIXTURE_CLAIMS) as Array<[Label, ClaimSpec]>) {
    const patientId = await patientOf(spec.patient);
    const providerId = providers[spec.provider];
    const encounterId =
      (spec.encounter ? sharedEncounters[spec.encounter] : undefined) ??
      (
        await db
          .insertInto('pms.encounter')
          .values({ patient_id: patientId, provider_id: providerId, service_date: spec.serviceDate, status: 'finished' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    if (spec.encounter) sharedEncounters[spec.encounter] = encounterId;
    encounters[label] = encounterId;
    const claimDiagnoses = spec.diagnoses ?? ['J06.9'];

    // The EHR side: the note, the documented diagnoses and one procedure per line, linked.
    let noteId: string | null = null;
    if (spec.note) {
      noteId = (
        await db
          .insertInto('ehr.clinical_note')
          .values({
            encounter_id: encounterId,
            patient_id: patientId,
            author_id: providerId,
            status: spec.note.signedAt ? 'signed' : 'draft',
            signed_at: spec.note.signedAt,
            signed_by: spec.note.signedAt ? providerId : null,
            created_at: spec.note.createdAt,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      if (spec.note.addendumAt) {
        await db
          .insertInto('ehr.note_addendum')
          .values({
            note_id: noteId,
            author_id: providerId,
            text: 'Clarified the assessment.',
            recorded_by: 'fixture',
            created_at: spec.note.addendumAt,
          })
          .execute();
      }
    }
    const dxIds: Record<string, string> = {};
    if (spec.note) {
      for (const code of spec.documentedDiagnoses ?? claimDiagnoses) {
        dxIds[code] = (
          await db
            .insertInto('ehr.diagnosis')
            .values({
              encounter_id: encounterId,
              patient_id: patientId,
              code,
              description: DESCRIPTIONS[code] ?? code,
              recorded_by: 'fixture',
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      }
    }

    const chargeCents = spec.lines.reduce((s, l) => s + l.chargeCents, 0);
    const claimId = (
      await db
        .insertInto('pms.claim')
        .values({
          encounter_id: encounterId,
          patient_id: patientId,
          provider_id: providerId,
          status: spec.status,
          total_charge_cents: chargeCents,
          capture_issues: '[]',
          snapshot: JSON.stringify({ fixture: label }),
          source_event_id: randomUUID(),
          source_event_at: spec.createdAt,
          created_at: spec.createdAt,
          payer_id: spec.payer ? payers[spec.payer] : null,
          location_id: spec.location ? locations[spec.location] : null,
          submitted_at: spec.resubmittedAt ?? spec.firstSubmittedAt,
          first_submitted_at: spec.firstSubmittedAt,
          first_submission_clean: spec.clean,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    claims[label] = claimId;
    for (const [position, code] of claimDiagnoses.entries()) {
      await db
        .insertInto('pms.claim_diagnosis')
        .values({ claim_id: claimId, position: position + 1, code, description: DESCRIPTIONS[code] ?? code })
        .execute();
    }

    const lineIds: string[] = [];
    for (const [i, line] of spec.lines.entries()) {
      let procedureId: string = randomUUID();
      if (spec.note) {
        procedureId = (
          await db
            .insertInto('ehr.procedure')
            .values({
              encounter_id: encounterId,
              patient_id: patientId,
              note_id: noteId,
              code: line.documentedCode ?? line.code,
              code_system: 'cpt',
              display: 'Documented service',
              units: line.units ?? 1,
              performer_id: providerId,
              recorded_by: 'fixture',
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
        for (const [j, code] of (line.links ?? [claimDiagnoses[0] ?? 'J06.9']).entries()) {
          const diagnosisId = dxIds[code];
          if (diagnosisId)
            await db
              .insertInto('ehr.procedure_diagnosis')
              .values({ procedure_id: procedureId, diagnosis_id: diagnosisId, position: j + 1 })
              .execute();
        }
      }
      lineIds.push(
        (
          await db
            .insertInto('pms.claim_line')
            .values({
              claim_id: claimId,
              line_number: i + 1,
              procedure_id: procedureId,
              procedure_code: line.code,
              code_system: 'cpt',
              display: 'Billed service',
              units: line.units ?? 1,
              charge_cents: line.chargeCents,
              service_date: line.serviceDate ?? spec.serviceDate,
              rendering_provider_id: providerId,
              pointers: [
                ...(line.pointers ?? (line.links ?? [claimDiagnoses[0]]).map((code) => claimDiagnoses.indexOf(code ?? '') + 1).slice(0, 1)),
              ],
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      );
    }

    // Every posting of the claim in force (for a reversal): its line, amounts and adjustments.
    const inForce: Array<{
      id: string;
      claimLineId: string;
      allowed: number;
      paid: number;
      pr: number;
      denied: boolean;
      adj: Adjustment[];
    }> = [];
    for (const remit of spec.remits ?? []) {
      trace += 1;
      const reversal = 'reverse' in remit;
      const totalPaid = reversal ? -inForce.reduce((s, p) => s + p.paid, 0) : remit.lines.reduce((s, l) => s + l.paid, 0);
      const remittanceId = (
        await db
          .insertInto('pms.remittance')
          .values({
            payer_id: spec.payer ? payers[spec.payer] : payers.A,
            trace_number: `RFX-${tag}-${trace}`,
            payment_date: remit.date,
            total_paid_cents: totalPaid,
            content_hash: `fixture-${trace}`,
            posted_by: 'fixture',
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      if (reversal) {
        for (const posting of inForce.splice(0)) {
          const lineId = (
            await db
              .insertInto('pms.remittance_line')
              .values({
                remittance_id: remittanceId,
                claim_id: claimId,
                claim_line_id: posting.claimLineId,
                payment_date: remit.date,
                allowed_cents: -posting.allowed,
                paid_cents: -posting.paid,
                patient_responsibility_cents: -posting.pr,
                denied: posting.denied,
                reverses_line_id: posting.id,
              })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id;
          for (const [group, reason, cents] of posting.adj) {
            await db
              .insertInto('pms.remittance_adjustment')
              .values({
                remittance_line_id: lineId,
                claim_id: claimId,
                payment_date: remit.date,
                group_code: group,
                reason_code: reason,
                amount_cents: -cents,
              })
              .execute();
          }
        }
        continue;
      }
      for (const [i, line] of remit.lines.entries()) {
        const pr = line.adj.filter(([group]) => group === 'PR').reduce((s, [, , cents]) => s + cents, 0);
        // remittance.ts: denied = nothing paid and something adjusted that is not the patient's share.
        const denied = line.paid === 0 && line.adj.some(([group]) => group !== 'PR');
        const remittanceLineId = (
          await db
            .insertInto('pms.remittance_line')
            .values({
              remittance_id: remittanceId,
              claim_id: claimId,
              claim_line_id: lineIds[i] ?? '',
              payment_date: remit.date,
              allowed_cents: line.paid + pr,
              paid_cents: line.paid,
              patient_responsibility_cents: pr,
              denied,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
        for (const [group, reason, cents] of line.adj) {
          await db
            .insertInto('pms.remittance_adjustment')
            .values({
              remittance_line_id: remittanceLineId,
              claim_id: claimId,
              payment_date: remit.date,
              group_code: group,
              reason_code: reason,
              amount_cents: cents,
            })
            .execute();
        }
        inForce.push({
          id: remittanceLineId,
          claimLineId: lineIds[i] ?? '',
          allowed: line.paid + pr,
          paid: line.paid,
          pr,
          denied,
          adj: [...line.adj],
        });
      }
    }
    for (const payment of spec.patientPayments ?? []) {
      await db
        .insertInto('pms.patient_payment')
        .values({
          patient_id: patientId,
          claim_id: claimId,
          amount_cents: payment.cents,
          method: 'card',
          received_on: payment.on,
          posted_by: 'fixture',
        })
        .execute();
    }
  }

  // An encounter without a claim (still counted by productivity), a cancelled one (not counted),
  // and a copay taken on account (no claim: not in collections).
  await db
    .insertInto('pms.encounter')
    .values({ patient_id: patients['pat6'] ?? '', provider_id: providers.P1, service_date: '2026-03-05', status: 'finished' })
    .execute();
  await db
    .insertInto('pms.encounter')
    .values({ patient_id: patients['pat7'] ?? '', provider_id: providers.P2, service_date: '2026-03-06', status: 'cancelled' })
    .execute();
  await db
    .insertInto('pms.patient_payment')
    .values({
      patient_id: patients['pat1'] ?? '',
      claim_id: null,
      amount_cents: 1500,
      method: 'cash',
      received_on: '2026-01-10',
      posted_by: 'fixture',
    })
    .execute();

  return { providers, payers, locations, claims, patients, encounters };
}
