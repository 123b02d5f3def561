import type { ClinicalNoteRow, DiagnosisRow, ProcedureRow } from '@chartbridge/db';
import { builder } from '../builder.js';
import type { EhrContext } from '../context.js';
import {
  addendumFactsByEncounterId,
  diagnosisLinksByEncounterId,
  documentedServiceDateByEncounterId,
} from '../data/encounter-documentation.loaders.js';
import type { AddendumFact, DiagnosisLinkFact } from '../data/encounter-documentation.repository.js';
import { notesByEncounterId } from '../data/clinical-note.loaders.js';
import { diagnosesByEncounterId, proceduresByEncounterId } from '../data/coding.loaders.js';
import { EncounterRef, requiresEncounterPatient, type EncounterKey } from './references.js';

/** What an encounter's documentation says now, gathered from the request's loaders. */
interface DocumentationShape {
  /** The patient the documentation belongs to: the encounter's. */
  readonly patientId: string;
  readonly notes: readonly ClinicalNoteRow[];
  readonly addenda: readonly AddendumFact[];
  readonly serviceDate: string | null;
  readonly diagnoses: readonly DiagnosisRow[];
  readonly procedures: readonly ProcedureRow[];
  readonly links: readonly DiagnosisLinkFact[];
}

interface DocumentedProcedureShape {
  readonly patientId: string;
  readonly procedure: ProcedureRow;
  readonly diagnosisCodes: readonly string[];
}

interface AddendumShape {
  readonly patientId: string;
  readonly addendum: AddendumFact;
}

async function documentationOf(ctx: EhrContext, encounter: EncounterKey): Promise<DocumentationShape> {
  const encounterId = encounter.id;
  // Every load is started before any is awaited: a list of encounters costs one statement per kind.
  const [notes, addenda, serviceDate, diagnoses, procedures, links] = await Promise.all([
    notesByEncounterId(ctx).load(encounterId),
    addendumFactsByEncounterId(ctx).load(encounterId),
    documentedServiceDateByEncounterId(ctx).load(encounterId),
    diagnosesByEncounterId(ctx).load(encounterId),
    proceduresByEncounterId(ctx).load(encounterId),
    diagnosisLinksByEncounterId(ctx).load(encounterId),
  ]);
  return { patientId: encounter.patientId, notes, addenda, serviceDate, diagnoses, procedures, links };
}

const signatureTimes = (d: DocumentationShape): number[] =>
  d.notes.flatMap((n) => (n.signed_at ? [n.signed_at.getTime()] : [])).sort((a, b) => a - b);

const DocumentationAddendum = builder.objectRef<AddendumShape>('DocumentationAddendum').implement({
  description: "When an addendum to one of the encounter's notes was written, and whether it changed the coding (never its text).",
  patientOf: (a) => a.patientId,
  fields: (t) => ({
    createdAt: t.field({ type: 'DateTime', nullable: false, dataClass: 'clinical_coding', resolve: (a) => a.addendum.created_at }),
    changesCoding: t.boolean({ nullable: false, dataClass: 'clinical_coding', resolve: (a) => a.addendum.changes_coding }),
  }),
});

const DocumentedProcedure = builder.objectRef<DocumentedProcedureShape>('DocumentedProcedure').implement({
  description: 'A procedure as documented now: what a claim line that bills it must match.',
  patientOf: (p) => p.patientId,
  fields: (t) => ({
    id: t.id({
      nullable: false,
      dataClass: 'reference',
      description: 'The procedure (a claim line keeps it as its source).',
      resolve: (p) => p.procedure.id,
    }),
    code: t.string({ nullable: false, dataClass: 'clinical_coding', description: 'CPT or HCPCS code.', resolve: (p) => p.procedure.code }),
    units: t.int({ nullable: false, dataClass: 'clinical_coding', resolve: (p) => p.procedure.units }),
    modifiers: t.stringList({ nullable: false, dataClass: 'clinical_coding', resolve: (p) => p.procedure.modifiers }),
    diagnosisCodes: t.stringList({
      nullable: false,
      dataClass: 'clinical_coding',
      description: 'The ICD-10-CM codes of the diagnoses linked to it, in pointer order.',
      resolve: (p) => p.diagnosisCodes,
    }),
  }),
});

const EncounterDocumentation = builder.objectRef<DocumentationShape>('EncounterDocumentation').implement({
  description:
    "The facts of an encounter's documentation as it stands now, for checking what was billed against it: signatures, " +
    "addenda, the date of service and the coding. Codes, dates and counts only, never the notes' text.",
  patientOf: (d) => d.patientId,
  fields: (t) => ({
    noteCount: t.int({ nullable: false, dataClass: 'clinical_coding', resolve: (d) => d.notes.length }),
    signedNoteCount: t.int({
      nullable: false,
      dataClass: 'clinical_coding',
      resolve: (d) => d.notes.filter((n) => n.status === 'signed').length,
    }),
    allSigned: t.boolean({
      nullable: false,
      dataClass: 'clinical_coding',
      description: 'True when the encounter has at least one note and every note is signed.',
      resolve: (d) => d.notes.length > 0 && d.notes.every((n) => n.status === 'signed'),
    }),
    firstSignedAt: t.field({
      type: 'DateTime',
      dataClass: 'clinical_coding',
      description: 'The earliest signature of its notes; null while none is signed.',
      resolve: (d) => {
        const first = signatureTimes(d)[0];
        return first === undefined ? null : new Date(first);
      },
    }),
    lastSignedAt: t.field({
      type: 'DateTime',
      dataClass: 'clinical_coding',
      description: 'The latest signature of its notes; null while none is signed.',
      resolve: (d) => {
        const last = signatureTimes(d).at(-1);
        return last === undefined ? null : new Date(last);
      },
    }),
    serviceDate: t.field({
      type: 'Date',
      dataClass: 'clinical_coding',
      description:
        "The date of service the documentation was last signed or amended for (the encounter's date, as the EHR read it from " +
        'the PMS when signing); null before the first signature.',
      resolve: (d) => d.serviceDate,
    }),
    addenda: t.field({
      type: [DocumentationAddendum],
      nullable: false,
      dataClass: 'clinical_coding',
      description: "Addenda to the encounter's notes, oldest first.",
      resolve: (d) => d.addenda.map((addendum) => ({ patientId: d.patientId, addendum })),
    }),
    diagnosisCodes: t.stringList({
      nullable: false,
      dataClass: 'clinical_coding',
      description: 'The ICD-10-CM codes documented for the encounter, in the order they were recorded.',
      resolve: (d) => d.diagnoses.map((dx) => dx.code),
    }),
    procedures: t.field({
      type: [DocumentedProcedure],
      nullable: false,
      dataClass: 'clinical_coding',
      description: 'The procedures documented for the encounter, in the order they were recorded.',
      resolve: (d) =>
        d.procedures.map((procedure) => ({
          patientId: procedure.patient_id,
          procedure,
          diagnosisCodes: d.links.filter((l) => l.procedure_id === procedure.id).map((l) => l.code),
        })),
    }),
  }),
});

builder.objectField(EncounterRef, 'documentation', (t) =>
  t.field({
    type: EncounterDocumentation,
    dataClass: 'clinical_coding',
    description:
      "What the encounter's documentation says now (signatures, addenda, date of service, coding), without the notes' text. " +
      "The PMS requires it to check the encounter's claims against the chart (`Encounter.complianceFindings`).",
    ...requiresEncounterPatient(),
    resolve: (e, _args, ctx) => documentationOf(ctx, e),
  }),
);
