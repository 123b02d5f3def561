import type { AllergyCategory } from '@chartbridge/db';

/**
 * A small curated table of drug ingredients and allergens with their class, so that a prescriber who
 * types a drug name, or a nurse who records an allergy by substance, gets the class without looking
 * it up. Not a drug knowledge base: an ingredient missing here simply has no derived class (the
 * caller may give one), and brand names are not known. Classes follow the usual pharmacological
 * groupings (WHO ATC level 4, e.g. J01CA/J01CR penicillins, M01A NSAIDs, N02A opioids) under plain
 * lower-case names.
 */
const INGREDIENT_CLASSES: Readonly<Record<string, string>> = {
  // Penicillins (ATC J01C)
  penicillin: 'penicillins',
  amoxicillin: 'penicillins',
  ampicillin: 'penicillins',
  dicloxacillin: 'penicillins',
  nafcillin: 'penicillins',
  oxacillin: 'penicillins',
  piperacillin: 'penicillins',
  // Cephalosporins (J01DB-DE)
  cefazolin: 'cephalosporins',
  cephalexin: 'cephalosporins',
  cefuroxime: 'cephalosporins',
  cefdinir: 'cephalosporins',
  ceftriaxone: 'cephalosporins',
  cefepime: 'cephalosporins',
  // Sulfonamide antibacterials (J01E)
  sulfamethoxazole: 'sulfonamides',
  sulfadiazine: 'sulfonamides',
  sulfasalazine: 'sulfonamides',
  // Macrolides (J01FA)
  azithromycin: 'macrolides',
  clarithromycin: 'macrolides',
  erythromycin: 'macrolides',
  // Fluoroquinolones (J01MA)
  ciprofloxacin: 'fluoroquinolones',
  levofloxacin: 'fluoroquinolones',
  moxifloxacin: 'fluoroquinolones',
  // Tetracyclines (J01AA)
  doxycycline: 'tetracyclines',
  minocycline: 'tetracyclines',
  tetracycline: 'tetracyclines',
  // NSAIDs, aspirin included (M01A, N02BA)
  aspirin: 'nsaids',
  ibuprofen: 'nsaids',
  naproxen: 'nsaids',
  diclofenac: 'nsaids',
  ketorolac: 'nsaids',
  indomethacin: 'nsaids',
  meloxicam: 'nsaids',
  celecoxib: 'nsaids',
  // Opioids (N02A)
  codeine: 'opioids',
  morphine: 'opioids',
  hydrocodone: 'opioids',
  oxycodone: 'opioids',
  hydromorphone: 'opioids',
  fentanyl: 'opioids',
  tramadol: 'opioids',
  // ACE inhibitors (C09A)
  lisinopril: 'ace inhibitors',
  enalapril: 'ace inhibitors',
  ramipril: 'ace inhibitors',
  // Statins (C10AA)
  atorvastatin: 'statins',
  simvastatin: 'statins',
  rosuvastatin: 'statins',
};

/** Words people record for a whole class as the substance ("sulfa drugs", "Penicillins"). */
const CLASS_SYNONYMS: Readonly<Record<string, string>> = {
  penicillins: 'penicillins',
  cephalosporins: 'cephalosporins',
  sulfa: 'sulfonamides',
  'sulfa drugs': 'sulfonamides',
  sulfonamides: 'sulfonamides',
  macrolides: 'macrolides',
  fluoroquinolones: 'fluoroquinolones',
  quinolones: 'fluoroquinolones',
  tetracyclines: 'tetracyclines',
  nsaids: 'nsaids',
  nsaid: 'nsaids',
  opioids: 'opioids',
  opiates: 'opioids',
  'ace inhibitors': 'ace inhibitors',
  statins: 'statins',
};

/** Allergens that are not drugs, with their class and FHIR category. */
const OTHER_ALLERGENS: Readonly<Record<string, readonly [allergenClass: string, category: AllergyCategory]>> = {
  peanut: ['peanuts', 'food'],
  peanuts: ['peanuts', 'food'],
  'tree nuts': ['tree nuts', 'food'],
  shellfish: ['shellfish', 'food'],
  fish: ['fish', 'food'],
  egg: ['eggs', 'food'],
  eggs: ['eggs', 'food'],
  milk: ['milk', 'food'],
  soy: ['soy', 'food'],
  wheat: ['wheat', 'food'],
  latex: ['latex', 'environment'],
  pollen: ['pollen', 'environment'],
  'dust mites': ['dust mites', 'environment'],
  'bee venom': ['insect venom', 'environment'],
  'insect venom': ['insect venom', 'environment'],
};

/** Trimmed, lower case, inner whitespace collapsed: how names and classes are compared and stored. */
export function normalizeTerm(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** The words of a drug or substance name (`Amoxicillin-clavulanate 875 mg` gives amoxicillin, clavulanate, 875, mg). */
export function wordsOf(name: string): string[] {
  return normalizeTerm(name)
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * The classes of a drug's known ingredients, in the order they appear in its name, without
 * repeats; a name that is itself a class (`NSAIDs`) gives that class. Empty when nothing is known.
 */
export function drugClassesOf(drugName: string): string[] {
  const synonym = CLASS_SYNONYMS[normalizeTerm(drugName)];
  if (synonym) return [synonym];
  const classes: string[] = [];
  for (const word of wordsOf(drugName)) {
    const drugClass = INGREDIENT_CLASSES[word];
    if (drugClass && !classes.includes(drugClass)) classes.push(drugClass);
  }
  return classes;
}

/** The class of a drug from its first known ingredient; null when none is known. */
export function drugClassOf(drugName: string): string | null {
  return drugClassesOf(drugName)[0] ?? null;
}

/**
 * The class and category of a recorded allergen: a drug ingredient or a drug class gives its class
 * and `medication`; the other allergens of the table their own. Null members when unknown.
 */
export function classifyAllergen(substance: string): { allergenClass: string | null; category: AllergyCategory | null } {
  const other = OTHER_ALLERGENS[normalizeTerm(substance)];
  if (other) return { allergenClass: other[0], category: other[1] };
  const drugClass = drugClassOf(substance);
  return drugClass ? { allergenClass: drugClass, category: 'medication' } : { allergenClass: null, category: null };
}
