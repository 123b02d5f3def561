import type { SeededRandom, Weighted } from './seeded-random.js';

// The kinds of office visit the synthetic practice sees, each with the ICD-10-CM diagnoses and the
// CPT/HCPCS procedures a clinician would document for it. Every diagnosis is in the EHR's reference
// set and every procedure has a fee in the PMS's fee schedule (both seeded by migrations). CPT
// labels are the practice's own short wording: CPT's descriptors are the AMA's and are not copied.

export type Sex = 'female' | 'male' | 'other' | 'unknown';

interface ProcedureSpec {
  /** A CPT or HCPCS code, or PREVENTIVE for the age-appropriate preventive visit code. */
  readonly code: string;
  readonly chance?: number;
  readonly units?: readonly [min: number, max: number];
  /** The visit's diagnoses (by slot) that justify it, in pointer order; slots not drawn are skipped. */
  readonly links?: readonly number[];
  /** Billed only when this other code is (a drug with its administration). */
  readonly with?: string;
  /** A procedure separate from the visit's E/M service: the E/M line then carries modifier 25. */
  readonly separate?: boolean;
  /** Anatomic modifiers keyed by the diagnosis of the first linked slot (a knee's side). */
  readonly sideOf?: Readonly<Record<string, string>>;
}

export interface VisitTemplate {
  /** The appointment's reason. */
  readonly reason: string;
  readonly weight: number;
  readonly minutes: 15 | 30 | 45;
  readonly kind: 'progress' | 'behavioral_health';
  readonly minAge?: number;
  /** Diagnosis slots: the first is always documented, each later one with its chance; one code drawn per slot. */
  readonly diagnoses: ReadonlyArray<{
    readonly codes: readonly string[];
    readonly chance?: number;
    /** Documented only for these sexes. */ readonly sexes?: readonly Sex[];
  }>;
  /** Office-visit levels (1 to 5) and their weights; none for a visit without an E/M service. */
  readonly levels?: ReadonlyArray<Weighted<number>>;
  readonly procedures: readonly ProcedureSpec[];
  readonly plans: readonly string[];
}

const LEVELS_ROUTINE: ReadonlyArray<Weighted<number>> = [
  [3, 2],
  [7, 3],
  [2, 4],
];
const LEVELS_CHRONIC: ReadonlyArray<Weighted<number>> = [
  [3, 3],
  [6, 4],
  [1, 5],
];

export const VISIT_TEMPLATES: readonly VisitTemplate[] = [
  {
    reason: 'Hypertension follow-up',
    weight: 12,
    minutes: 30,
    kind: 'progress',
    diagnoses: [{ codes: ['I10'] }, { codes: ['E78.5'], chance: 0.4 }, { codes: ['E66.9'], chance: 0.2 }],
    levels: LEVELS_CHRONIC,
    procedures: [
      { code: '93000', chance: 0.15 },
      { code: '36415', chance: 0.3, links: [0, 1] },
      { code: '80053', chance: 0.3, links: [0, 1], with: '36415' },
    ],
    plans: ['Continue current antihypertensive; recheck in 3 months.', 'Home blood pressure log; follow up in 6 weeks.'],
  },
  {
    reason: 'Diabetes follow-up',
    weight: 9,
    minutes: 30,
    kind: 'progress',
    diagnoses: [
      { codes: ['E11.9'] },
      { codes: ['Z79.4'], chance: 0.3 },
      { codes: ['E78.5'], chance: 0.4 },
      { codes: ['I10'], chance: 0.4 },
    ],
    levels: LEVELS_CHRONIC,
    procedures: [
      { code: '36415', chance: 0.6 },
      { code: '80053', chance: 0.5, with: '36415' },
      { code: '81002', chance: 0.3 },
    ],
    plans: ['Continue metformin; A1c in 3 months.', 'Diet and exercise counselling; labs before next visit.'],
  },
  {
    reason: 'Cough or sore throat',
    weight: 14,
    minutes: 15,
    kind: 'progress',
    diagnoses: [{ codes: ['J06.9', 'J02.9', 'J20.9', 'R05.9', 'B34.9', 'U07.1'] }, { codes: ['R50.9'], chance: 0.3 }],
    levels: LEVELS_ROUTINE,
    procedures: [
      { code: '87880', chance: 0.3, links: [0, 1] },
      { code: '87804', chance: 0.2, links: [0, 1] },
      { code: '96372', chance: 0.08, separate: true },
      { code: 'J0696', units: [1, 4], with: '96372' },
    ],
    plans: ['Supportive care; return if not better in 7 days.', 'Fluids and rest; return if fever persists.'],
  },
  {
    reason: 'Annual physical',
    weight: 10,
    minutes: 45,
    kind: 'progress',
    minAge: 18,
    diagnoses: [
      { codes: ['Z00.00', 'Z00.01'] },
      { codes: ['Z13.31'], chance: 0.4 },
      { codes: ['Z23'], chance: 0.3 },
      { codes: ['Z12.4'], chance: 0.3, sexes: ['female'] },
    ],
    procedures: [
      { code: 'PREVENTIVE' },
      { code: 'G0444', chance: 0.8, links: [1] },
      { code: '90471', links: [2] },
      { code: '90686', links: [2], with: '90471' },
      { code: 'Q0091', links: [3] },
    ],
    plans: ['Age-appropriate screening reviewed; return in one year.', 'Preventive counselling given; labs ordered.'],
  },
  {
    reason: 'Knee pain',
    weight: 6,
    minutes: 30,
    kind: 'progress',
    diagnoses: [{ codes: ['M25.561', 'M25.562'] }, { codes: ['M79.10'], chance: 0.2 }],
    levels: LEVELS_ROUTINE,
    procedures: [
      { code: '20610', chance: 0.45, separate: true, sideOf: { 'M25.561': 'RT', 'M25.562': 'LT' } },
      { code: 'J3301', units: [2, 4], with: '20610' },
    ],
    plans: ['Home exercises; follow up in 4 weeks.', 'Injection given; ice and rest.'],
  },
  {
    reason: 'Low back pain',
    weight: 6,
    minutes: 30,
    kind: 'progress',
    diagnoses: [{ codes: ['M54.50'] }, { codes: ['M79.10'], chance: 0.3 }],
    levels: LEVELS_ROUTINE,
    procedures: [
      { code: '96372', chance: 0.3, separate: true },
      { code: 'J1885', units: [1, 2], with: '96372' },
    ],
    plans: ['NSAIDs and stretching; physical therapy referral.', 'Activity as tolerated; return if worse.'],
  },
  {
    reason: 'Skin concern',
    weight: 5,
    minutes: 30,
    kind: 'progress',
    diagnoses: [{ codes: ['L30.9'] }],
    levels: LEVELS_ROUTINE,
    procedures: [
      { code: '11102', chance: 0.3, separate: true },
      { code: '17110', chance: 0.2, separate: true },
    ],
    plans: ['Topical steroid; follow up with biopsy result.', 'Moisturiser and trigger avoidance.'],
  },
  {
    reason: 'Ear pain',
    weight: 3,
    minutes: 15,
    kind: 'progress',
    diagnoses: [{ codes: ['H66.90'] }],
    levels: [
      [6, 3],
      [4, 2],
    ],
    procedures: [{ code: '69210', chance: 0.4, separate: true }],
    plans: ['Antibiotic course; recheck ear in 2 weeks.', 'Analgesia; return if not better.'],
  },
  {
    reason: 'Anxiety or mood follow-up',
    weight: 6,
    minutes: 45,
    kind: 'behavioral_health',
    diagnoses: [{ codes: ['F41.1', 'F32.9', 'F41.9'] }, { codes: ['G47.00'], chance: 0.3 }, { codes: ['Z13.31'], chance: 0.4 }],
    levels: [
      [2, 3],
      [6, 4],
      [2, 5],
    ],
    procedures: [{ code: 'G0444', links: [2] }],
    plans: ['Continue therapy and current medication; follow up in 4 weeks.', 'Medication adjusted; safety plan reviewed.'],
  },
  {
    reason: 'Fatigue',
    weight: 5,
    minutes: 30,
    kind: 'progress',
    diagnoses: [{ codes: ['R53.83', 'D64.9', 'E03.9', 'E55.9'] }, { codes: ['E55.9'], chance: 0.2 }],
    levels: LEVELS_CHRONIC,
    procedures: [
      { code: '36415', chance: 0.8, links: [0, 1] },
      { code: '85025', chance: 0.6, with: '36415' },
      { code: '80053', chance: 0.4, with: '36415' },
    ],
    plans: ['Labs drawn; results by phone.', 'Sleep hygiene; recheck in 6 weeks.'],
  },
  {
    reason: 'Stomach complaints',
    weight: 4,
    minutes: 30,
    kind: 'progress',
    diagnoses: [{ codes: ['K21.9', 'R10.9'] }],
    levels: LEVELS_ROUTINE,
    procedures: [],
    plans: ['Trial of acid suppression; diet changes.', 'Return if pain worsens or fever.'],
  },
  {
    reason: 'Urinary symptoms',
    weight: 4,
    minutes: 15,
    kind: 'progress',
    diagnoses: [{ codes: ['N39.0'] }],
    levels: [
      [3, 2],
      [7, 3],
    ],
    procedures: [{ code: '81002', chance: 0.85 }],
    plans: ['Antibiotic course; culture sent.', 'Fluids; return if fever or flank pain.'],
  },
  {
    reason: 'Breathing follow-up',
    weight: 4,
    minutes: 30,
    kind: 'progress',
    diagnoses: [{ codes: ['J44.9', 'J45.909'] }],
    levels: LEVELS_CHRONIC,
    procedures: [
      { code: '94640', chance: 0.4 },
      { code: '96372', chance: 0.15, separate: true },
      { code: 'J1100', units: [4, 10], with: '96372' },
    ],
    plans: ['Inhaler technique reviewed; continue controller.', 'Steroid burst; follow up in one week.'],
  },
  {
    reason: 'Heart follow-up',
    weight: 3,
    minutes: 30,
    kind: 'progress',
    diagnoses: [{ codes: ['I48.91', 'I25.10'] }, { codes: ['I10'], chance: 0.5 }, { codes: ['E78.5'], chance: 0.5 }],
    levels: [
      [1, 3],
      [6, 4],
      [3, 5],
    ],
    procedures: [{ code: '93000', chance: 0.6 }],
    plans: ['Rate control continued; anticoagulation reviewed.', 'Statin continued; cardiology follow-up.'],
  },
  {
    reason: 'Headache',
    weight: 3,
    minutes: 30,
    kind: 'progress',
    diagnoses: [{ codes: ['G43.909', 'R51.9'] }],
    levels: LEVELS_ROUTINE,
    procedures: [
      { code: '96372', chance: 0.25, separate: true },
      { code: 'J1885', units: [1, 2], with: '96372' },
    ],
    plans: ['Headache diary; abortive therapy prescribed.', 'Hydration and rest; return if neurological symptoms.'],
  },
  {
    reason: 'Ankle injury',
    weight: 2,
    minutes: 15,
    kind: 'progress',
    diagnoses: [{ codes: ['S93.401A'] }],
    levels: [
      [7, 3],
      [3, 4],
    ],
    procedures: [],
    plans: ['Rest, ice, compression, elevation; brace.', 'Weight bearing as tolerated; recheck in 2 weeks.'],
  },
  {
    reason: 'Flu shot',
    weight: 4,
    minutes: 15,
    kind: 'progress',
    diagnoses: [{ codes: ['Z23'] }],
    procedures: [{ code: '90471' }, { code: '90686', with: '90471' }],
    plans: ['Vaccine given; observed 15 minutes without reaction.'],
  },
  {
    reason: 'Weight management',
    weight: 2,
    minutes: 30,
    kind: 'progress',
    diagnoses: [{ codes: ['E66.9'] }, { codes: ['Z71.3'], chance: 0.7 }],
    levels: [
      [7, 3],
      [3, 4],
    ],
    procedures: [{ code: '99401', chance: 0.5, links: [1] }],
    plans: ['Dietary plan agreed; follow up in 3 months.'],
  },
];

/** The practice's own labels for the CPT codes it bills (the EHR asks the caller for a CPT display). */
export const CPT_LABELS: Readonly<Record<string, string>> = {
  '99202': 'New patient office visit, level 2',
  '99203': 'New patient office visit, level 3',
  '99204': 'New patient office visit, level 4',
  '99205': 'New patient office visit, level 5',
  '99211': 'Established patient office visit, level 1',
  '99212': 'Established patient office visit, level 2',
  '99213': 'Established patient office visit, level 3',
  '99214': 'Established patient office visit, level 4',
  '99215': 'Established patient office visit, level 5',
  '99385': 'Preventive visit, new patient, 18 to 39',
  '99386': 'Preventive visit, new patient, 40 to 64',
  '99395': 'Preventive visit, established patient, 18 to 39',
  '99396': 'Preventive visit, established patient, 40 to 64',
  '99401': 'Preventive counselling, about 15 minutes',
  '36415': 'Venous blood draw',
  '81002': 'Urine dipstick, in office',
  '80053': 'Comprehensive metabolic panel',
  '85025': 'Blood count with differential',
  '87804': 'Rapid influenza test',
  '87880': 'Rapid strep test',
  '90471': 'Vaccine administration',
  '90686': 'Influenza vaccine',
  '93000': 'Electrocardiogram with report',
  '94640': 'Nebulised inhalation treatment',
  '96372': 'Injection, intramuscular or subcutaneous',
  '11102': 'Skin biopsy, tangential',
  '17110': 'Destruction of benign skin lesions',
  '20610': 'Major joint injection or aspiration',
  '69210': 'Impacted cerumen removal',
};

/** Every ICD-10-CM code the templates document: the seed reads their descriptions from the EHR's reference set. */
export const TEMPLATE_DIAGNOSIS_CODES: readonly string[] = [
  ...new Set(VISIT_TEMPLATES.flatMap((t) => t.diagnoses.flatMap((d) => d.codes))),
].sort();

/** Every HCPCS Level II code the templates bill (a letter and four digits). */
export const TEMPLATE_HCPCS_CODES: readonly string[] = [
  ...new Set(
    [...VISIT_TEMPLATES.flatMap((t) => t.procedures.map((p) => p.code)), 'G0438', 'G0439'].filter((code) => /^[A-V][0-9]{4}$/.test(code)),
  ),
].sort();

/** A visit's coding as the clinician documents it: diagnoses in recording order, procedures linked to them by index. */
export interface VisitCoding {
  readonly diagnoses: readonly string[];
  readonly procedures: ReadonlyArray<{
    readonly code: string;
    readonly system: 'cpt' | 'hcpcs';
    readonly units: number;
    readonly modifiers: readonly string[];
    readonly links: readonly number[];
  }>;
}

/** The preventive visit's code for an age: CMS's annual wellness visit from 65, CPT's preventive medicine codes before. */
function preventiveCode(age: number, established: boolean): string {
  if (age >= 65) return established ? 'G0439' : 'G0438';
  if (age >= 40) return established ? '99396' : '99386';
  return established ? '99395' : '99385';
}

/** An office visit's E/M code: new patients' 99202-99205, established patients' 99211-99215. */
function officeVisitCode(level: number, established: boolean): string {
  return established ? `9921${level}` : `9920${Math.max(level, 2)}`;
}

/** Whether a template suits a patient of this age. */
export function suits(template: VisitTemplate, age: number): boolean {
  return age >= (template.minAge ?? 0);
}

/**
 * Documents one visit of a template: the diagnoses drawn slot by slot, then the E/M service (with
 * modifier 25 when a separate procedure is billed the same day) and the procedures, each linked to
 * the slots that justify it that were drawn. A procedure none of whose slots was drawn is left out.
 */
export function documentVisit(
  random: SeededRandom,
  template: VisitTemplate,
  patient: { readonly age: number; readonly sex: Sex; readonly established: boolean },
): VisitCoding {
  const slotCodes = template.diagnoses.map((slot, i) => {
    if (i > 0 && ((slot.sexes && !slot.sexes.includes(patient.sex)) || !random.chance(slot.chance ?? 1))) return null;
    return random.pick(slot.codes);
  });
  // A code drawn twice (two slots may share one) is documented once: codes are unique per encounter.
  const diagnoses: string[] = [];
  const indexOfSlot = slotCodes.map((code) => {
    if (code === null) return -1;
    const at = diagnoses.indexOf(code);
    if (at >= 0) return at;
    diagnoses.push(code);
    return diagnoses.length - 1;
  });
  const billed: Array<{ code: string; units: number; modifiers: string[]; links: number[]; separate: boolean }> = [];
  for (const spec of template.procedures) {
    if (spec.with !== undefined && !billed.some((p) => p.code === spec.with)) continue;
    if (!random.chance(spec.chance ?? 1)) continue;
    const links = [...new Set((spec.links ?? [0]).map((slot) => indexOfSlot[slot] ?? -1).filter((i) => i >= 0))];
    if (links.length === 0) continue;
    const code = spec.code === 'PREVENTIVE' ? preventiveCode(patient.age, patient.established) : spec.code;
    const side = spec.sideOf?.[diagnoses[links[0] ?? 0] ?? ''];
    billed.push({
      code,
      units: spec.units ? random.int(spec.units[0], spec.units[1]) : 1,
      modifiers: side ? [side] : [],
      links,
      separate: spec.separate ?? false,
    });
  }
  const procedures = billed.map(({ separate: _separate, ...p }) => p);
  if (template.levels) {
    const level = random.weighted(template.levels);
    const modifiers = billed.some((p) => p.separate) ? ['25'] : [];
    // The visit's E/M service is justified by every diagnosis addressed (at most four pointers).
    procedures.unshift({
      code: officeVisitCode(level, patient.established),
      units: 1,
      modifiers,
      links: diagnoses.slice(0, 4).map((_, i) => i),
    });
  }
  return {
    diagnoses,
    procedures: procedures.map((p) => ({ ...p, system: /^[A-V][0-9]{4}$/.test(p.code) ? 'hcpcs' : 'cpt' })),
  };
}
