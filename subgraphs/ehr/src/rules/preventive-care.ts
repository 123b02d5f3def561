import { isSeasonalInfluenzaVaccine } from './cvx.js';

/** The PMS's administrative sex, as its enum names it (the EHR receives the name through `@requires`). */
export type AdministrativeSex = 'FEMALE' | 'MALE' | 'OTHER' | 'UNKNOWN';

/** What the preventive-care rules look at, about one patient, on one day. Dates are `YYYY-MM-DD`. */
export interface PreventiveCareFacts {
  readonly today: string;
  readonly birthDate: string | null;
  readonly sex: AdministrativeSex | null;
  readonly immunizations: ReadonlyArray<{ readonly cvxCode: string; readonly administeredOn: string }>;
  /** The day of the latest vital signs with a blood pressure; null when none. */
  readonly lastBloodPressureOn: string | null;
  /** Screening results on file (any LOINC codes; the rules pick theirs). */
  readonly labResults: ReadonlyArray<{ readonly loincCode: string; readonly observedOn: string }>;
}

export type PreventiveCareRule =
  'influenza-vaccine' | 'colorectal-cancer-screening' | 'cervical-cancer-screening' | 'blood-pressure-screening';

export interface PreventiveCareDue {
  readonly rule: PreventiveCareRule;
  /** One sentence for the clinician, ending with the short name of its source. */
  readonly message: string;
  /** The recommendation the rule implements. */
  readonly source: string;
}

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

/** The date `days` days before `date`. */
export function daysBefore(date: string, days: number): string {
  return new Date((dayNumber(date) - days) * DAY_MS).toISOString().slice(0, 10);
}

/** Whole months of age on `today` (a birthday on the 31st is reached on the month's last day). */
export function ageInMonths(birthDate: string, today: string): number {
  const [by, bm, bd] = [Number(birthDate.slice(0, 4)), Number(birthDate.slice(5, 7)), Number(birthDate.slice(8, 10))];
  const [ty, tm, td] = [Number(today.slice(0, 4)), Number(today.slice(5, 7)), Number(today.slice(8, 10))];
  const lastDayOfMonth = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
  const months = (ty - by) * 12 + (tm - bm);
  return td >= Math.min(bd, lastDayOfMonth) ? months : months - 1;
}

/** Whole years of age on `today` (someone born on 29 February turns a year older on 28 February). */
export function ageInYears(birthDate: string, today: string): number {
  return Math.floor(ageInMonths(birthDate, today) / 12);
}

/**
 * The first day of the influenza season `today` falls in. Seasons are counted from 1 July: vaccine
 * for the coming season ships from July, and any dose given from then on counts for that season
 * (ACIP, "Prevention and Control of Seasonal Influenza with Vaccines", MMWR Recommendations and
 * Reports, updated every season).
 */
export function influenzaSeasonStart(today: string): string {
  const year = Number(today.slice(0, 4));
  return today.slice(5) >= '07-01' ? `${year}-07-01` : `${year - 1}-07-01`;
}

const SOURCES = {
  influenza:
    'CDC ACIP: routine annual influenza vaccination of everyone aged 6 months and older without contraindications ' +
    '(Prevention and Control of Seasonal Influenza with Vaccines, MMWR Recomm Rep, each season since 2010)',
  colorectal: 'USPSTF 2021: Colorectal Cancer Screening, adults aged 45 to 75 (grade A 50-75, grade B 45-49); JAMA 2021;325(19):1965-1977',
  cervical:
    'USPSTF 2018: Cervical Cancer Screening, ages 21 to 65: cytology every 3 years, or from 30 high-risk HPV testing (alone or with cytology) every 5 years; JAMA 2018;320(7):674-686',
  bloodPressure: 'USPSTF 2021: Hypertension in Adults: Screening, adults 18 and older (grade A); JAMA 2021;325(16):1650-1656',
} as const;

/**
 * Stool tests that count as colorectal cancer screening, with how long each counts (USPSTF 2021:
 * FIT or guaiac FOBT every year, stool DNA with FIT every 1 to 3 years). The codes are a subset of
 * the eCQM CMS130 "Colorectal Cancer Screening" value sets "Fecal Occult Blood Test (FOBT)" and
 * "sDNA FIT Test" (VSAC). Colonoscopy, CT colonography and sigmoidoscopy are procedures, not lab
 * results, and are not seen by this rule.
 */
const COLORECTAL_TESTS: ReadonlyArray<{ readonly codes: ReadonlySet<string>; readonly days: number }> = [
  {
    codes: new Set([
      '2335-8',
      '12503-9',
      '12504-7',
      '14563-1',
      '14564-9',
      '14565-6',
      '27396-1',
      '29771-3',
      '56490-6',
      '56491-4',
      '57905-2',
      '58453-2',
      '80372-6',
    ]),
    days: 365,
  },
  { codes: new Set(['77353-1', '77354-9']), days: 3 * 365 },
];

/** Cervical cytology (Pap) tests: a subset of the eCQM CMS124 value set "Pap Test" (VSAC). */
const CERVICAL_CYTOLOGY = new Set([
  '10524-7',
  '18500-9',
  '19762-4',
  '19764-0',
  '19765-7',
  '19766-5',
  '19774-9',
  '33717-0',
  '47527-7',
  '47528-5',
]);
/** High-risk HPV tests: a subset of the eCQM CMS124 value set "HPV Test" (VSAC). */
const HPV_TESTS = new Set([
  '21440-3',
  '30167-1',
  '38372-9',
  '59263-4',
  '59264-2',
  '59420-0',
  '69002-4',
  '71431-1',
  '75406-9',
  '75694-0',
  '77379-6',
  '77399-4',
  '77400-0',
  '82354-2',
  '82456-5',
  '82675-0',
]);

/** Every LOINC code a preventive-care rule looks for, and how far back the rules look at most. */
export const PREVENTIVE_SCREENING_LOINC: readonly string[] = [
  ...COLORECTAL_TESTS.flatMap((test) => [...test.codes]),
  ...CERVICAL_CYTOLOGY,
  ...HPV_TESTS,
];
export const PREVENTIVE_LOOKBACK_DAYS = 5 * 365;

function hasResultSince(facts: PreventiveCareFacts, codes: ReadonlySet<string>, days: number): boolean {
  const since = daysBefore(facts.today, days);
  return facts.labResults.some((r) => codes.has(r.loincCode) && r.observedOn >= since && r.observedOn <= facts.today);
}

function influenzaDue(facts: PreventiveCareFacts, months: number): PreventiveCareDue | null {
  if (months < 6) return null;
  // Vaccinating most people in July and August is discouraged (immunity wanes before the season's
  // end), so the reminder starts in September; a dose given in July or August still counts.
  if (facts.today.slice(5) < '09-01' && facts.today.slice(5) >= '07-01') return null;
  const seasonStart = influenzaSeasonStart(facts.today);
  const vaccinated = facts.immunizations.some(
    (i) => isSeasonalInfluenzaVaccine(i.cvxCode) && i.administeredOn >= seasonStart && i.administeredOn <= facts.today,
  );
  if (vaccinated) return null;
  const season = `${seasonStart.slice(0, 4)}-${Number(seasonStart.slice(0, 4)) + 1}`;
  return {
    rule: 'influenza-vaccine',
    message: `Influenza vaccine due: no dose recorded for the ${season} season (CDC ACIP)`,
    source: SOURCES.influenza,
  };
}

function colorectalDue(facts: PreventiveCareFacts, years: number): PreventiveCareDue | null {
  if (years < 45 || years > 75) return null;
  if (COLORECTAL_TESTS.some((test) => hasResultSince(facts, test.codes, test.days))) return null;
  return {
    rule: 'colorectal-cancer-screening',
    message:
      'Colorectal cancer screening due: no FIT or FOBT in the last year nor stool DNA test in the last 3 years on file (a colonoscopy within 10 years also counts) (USPSTF 2021)',
    source: SOURCES.colorectal,
  };
}

function cervicalDue(facts: PreventiveCareFacts, years: number): PreventiveCareDue | null {
  // The recommendation is for people with a cervix; the chart knows administrative sex only, so
  // the rule keeps to FEMALE rather than guess for OTHER or UNKNOWN.
  if (facts.sex !== 'FEMALE' || years < 21 || years > 65) return null;
  if (hasResultSince(facts, CERVICAL_CYTOLOGY, 3 * 365)) return null;
  if (years >= 30 && hasResultSince(facts, HPV_TESTS, 5 * 365)) return null;
  return {
    rule: 'cervical-cancer-screening',
    message:
      years >= 30
        ? 'Cervical cancer screening due: no cervical cytology in the last 3 years nor high-risk HPV test in the last 5 years on file (USPSTF 2018)'
        : 'Cervical cancer screening due: no cervical cytology in the last 3 years on file (USPSTF 2018)',
    source: SOURCES.cervical,
  };
}

function bloodPressureDue(facts: PreventiveCareFacts, years: number): PreventiveCareDue | null {
  if (years < 18) return null;
  if (facts.lastBloodPressureOn !== null && facts.lastBloodPressureOn >= daysBefore(facts.today, 365)) return null;
  return {
    rule: 'blood-pressure-screening',
    message: 'Blood pressure screening due: no blood pressure recorded in the last 365 days (USPSTF 2021)',
    source: SOURCES.bloodPressure,
  };
}

/**
 * The preventive care due for a patient on `facts.today`, by age and sex. Without a birth date no
 * rule can say anything, and none is reported. Pure; never throws on well-formed dates.
 */
export function preventiveCareDue(facts: PreventiveCareFacts): PreventiveCareDue[] {
  if (facts.birthDate === null || facts.birthDate > facts.today) return [];
  const months = ageInMonths(facts.birthDate, facts.today);
  const years = Math.floor(months / 12);
  return [influenzaDue(facts, months), colorectalDue(facts, years), cervicalDue(facts, years), bloodPressureDue(facts, years)].filter(
    (due): due is PreventiveCareDue => due !== null,
  );
}
