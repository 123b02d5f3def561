import { z } from 'zod';

/** The event type the EHR writes when an encounter's documentation is signed or amends its coding. */
export const ENCOUNTER_DOCUMENTED = 'encounter.documented';

const uuid = z
  .string()
  .uuid()
  .transform((s) => s.toLowerCase());
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * The `encounter.documented` payload, version 1, as the EHR writes it (subgraphs/ehr
 * rules/documented-event.ts): codes, ids and dates, never note text. Checked field by field here,
 * because the PMS builds claims from it.
 */
export const encounterDocumentedV1 = z.object({
  version: z.literal(1),
  encounterId: uuid,
  patientId: uuid,
  serviceDate: date,
  noteId: uuid,
  signedAt: z.string().datetime({ offset: true }),
  signedBy: uuid,
  addendumId: uuid.nullable(),
  diagnoses: z.array(z.object({ id: uuid, code: z.string().min(1).max(10), description: z.string().max(500) })).max(200),
  procedures: z
    .array(
      z.object({
        id: uuid,
        code: z.string().regex(/^([0-9]{4}[0-9FTU]|[A-V][0-9]{4})$/),
        codeSystem: z.enum(['cpt', 'hcpcs']),
        display: z.string().min(1).max(500),
        units: z.number().int().min(1).max(999),
        modifiers: z.array(z.string().regex(/^[A-Z0-9]{2}$/)).max(4),
        performerId: uuid,
        noteId: uuid.nullable(),
        diagnoses: z.array(z.object({ id: uuid, code: z.string().min(1).max(10), position: z.number().int().min(1).max(4) })).max(4),
      }),
    )
    .max(50),
});
export type EncounterDocumented = z.infer<typeof encounterDocumentedV1>;

/** What the EHR's outbox relay posts to `POST /events`: one outbox row. */
export const eventEnvelope = z.object({
  id: uuid,
  type: z.string().min(1).max(100),
  aggregateId: uuid,
  /** When the EHR wrote the event (its outbox row's creation). */
  occurredAt: z
    .string()
    .datetime({ offset: true })
    .transform((s) => new Date(s)),
  payload: z.unknown(),
});
export type EventEnvelope = z.infer<typeof eventEnvelope>;
