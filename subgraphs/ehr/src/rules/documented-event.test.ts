import type { DiagnosisRow, ProcedureRow } from '@chartbridge/db';
import { describe, expect, test } from 'vitest';
import { encounterDocumentedEvent, hasContent } from './documented-event.js';

const at = new Date('2026-11-20T15:00:00Z');
const dx = (id: string, code: string): DiagnosisRow => ({
  id,
  encounter_id: 'e1',
  patient_id: 'p1',
  code,
  description: `${code} text`,
  recorded_by: 'u',
  created_at: at,
});
const proc = (id: string, code: string): ProcedureRow => ({
  id,
  encounter_id: 'e1',
  patient_id: 'p1',
  note_id: 'n1',
  code,
  code_system: 'cpt',
  display: 'Office visit',
  units: 2,
  modifiers: ['25'],
  performer_id: 'd1',
  recorded_by: 'u',
  created_at: at,
});

describe('the encounter.documented event', () => {
  test("carries codes, units, modifiers and each procedure's diagnoses in pointer order", () => {
    const event = encounterDocumentedEvent({
      encounter: { id: 'e1', patientId: 'p1', serviceDate: '2026-11-20' },
      note: { id: 'n1', signedAt: at, signedBy: 'd1' },
      addendumId: null,
      diagnoses: [dx('x1', 'E11.9'), dx('x2', 'I10')],
      procedures: [proc('r1', '99213')],
      links: [
        { procedure_id: 'r1', id: 'x2', code: 'I10', position: 2 },
        { procedure_id: 'r1', id: 'x1', code: 'E11.9', position: 1 },
      ],
    });
    expect(event).toEqual({
      version: 1,
      encounterId: 'e1',
      patientId: 'p1',
      serviceDate: '2026-11-20',
      noteId: 'n1',
      signedAt: '2026-11-20T15:00:00.000Z',
      signedBy: 'd1',
      addendumId: null,
      diagnoses: [
        { id: 'x1', code: 'E11.9', description: 'E11.9 text' },
        { id: 'x2', code: 'I10', description: 'I10 text' },
      ],
      procedures: [
        {
          id: 'r1',
          code: '99213',
          codeSystem: 'cpt',
          display: 'Office visit',
          units: 2,
          modifiers: ['25'],
          performerId: 'd1',
          noteId: 'n1',
          diagnoses: [
            { id: 'x1', code: 'E11.9', position: 1 },
            { id: 'x2', code: 'I10', position: 2 },
          ],
        },
      ],
    });
  });

  test('holds no free text of the note', () => {
    const event = encounterDocumentedEvent({
      encounter: { id: 'e1', patientId: 'p1', serviceDate: '2026-11-20' },
      note: { id: 'n1', signedAt: at, signedBy: 'd1' },
      addendumId: 'a1',
      diagnoses: [],
      procedures: [],
      links: [],
    });
    expect(Object.keys(event)).not.toContain('subjective');
    expect(JSON.stringify(event)).not.toMatch(/assessment|plan/);
  });
});

describe('a note with something to sign', () => {
  test.each([
    [{ subjective: 'Cough.', objective: null, assessment: null, plan: null }, true],
    [{ subjective: '  ', objective: '', assessment: null, plan: null }, false],
    [{ subjective: null, objective: null, assessment: null, plan: null }, false],
  ])('%j: %s', (note, expected) => expect(hasContent(note)).toBe(expected));
});
