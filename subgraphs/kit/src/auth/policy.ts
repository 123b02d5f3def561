import type { DataClass, Purpose, Role } from './identity.js';

/**
 * Which data classes a role may see for each purpose of use: the single source of the access policy.
 * Subgraphs enforce it field by field, the gateway uses it to check purposes, and the docs table
 * (docs/SECURITY.md) is written from it. "Minimum necessary" (45 CFR 164.502(b)): each role gets what
 * its work needs and no more.
 */
export interface RolePolicy {
  /** The purposes this role may act under; the first is the default when the caller names none. */
  readonly purposes: readonly [Purpose, ...Purpose[]];
  /** Classes granted per purpose. */
  readonly grants: Readonly<Partial<Record<Purpose, readonly DataClass[]>>>;
  /** Classes opened only with a stated break-the-glass reason (always audited and flagged). */
  readonly breakGlass?: readonly DataClass[];
  /** How far the role reaches into patient rows. */
  readonly rows: 'all' | 'own' | 'consented' | 'none';
}

const CHART: readonly DataClass[] = ['reference', 'demographic', 'contact', 'clinical', 'clinical_coding', 'operational'];

export const POLICY: Readonly<Record<Role, RolePolicy>> = {
  clinician: { purposes: ['TREATMENT'], grants: { TREATMENT: CHART }, breakGlass: ['sensitive_clinical'], rows: 'all' },
  nurse: { purposes: ['TREATMENT'], grants: { TREATMENT: CHART }, rows: 'all' },
  front_desk: {
    purposes: ['OPERATIONS', 'PAYMENT'],
    grants: {
      OPERATIONS: ['reference', 'demographic', 'contact', 'sensitive_identifier', 'coverage', 'operational'],
      // Taking a copay or a balance at the desk: the patient's claims' amounts, under the PAYMENT purpose only.
      PAYMENT: ['reference', 'demographic', 'contact', 'coverage', 'financial', 'operational'],
    },
    rows: 'all',
  },
  biller: {
    purposes: ['PAYMENT'],
    grants: {
      PAYMENT: ['reference', 'demographic', 'contact', 'sensitive_identifier', 'coverage', 'financial', 'clinical_coding', 'operational'],
    },
    rows: 'all',
  },
  // Analysts work on aggregates: no patient row is theirs to read (the reports issue adds pseudonymous drill-down).
  analyst: { purposes: ['OPERATIONS'], grants: { OPERATIONS: ['operational', 'financial'] }, rows: 'none' },
  // A partner sees only what each patient's consent grants it; the consent record narrows these further.
  partner: {
    purposes: ['TREATMENT', 'PAYMENT', 'OPERATIONS'],
    grants: {
      TREATMENT: ['reference', 'demographic', 'contact', 'clinical', 'clinical_coding'],
      PAYMENT: ['reference', 'demographic', 'coverage', 'financial', 'clinical_coding'],
      OPERATIONS: ['reference', 'demographic', 'contact'],
    },
    rows: 'consented',
  },
  // The individual's right of access (45 CFR 164.524) covers their own record, minus restricted notes,
  // and their accounting of disclosures (164.528): `audit` reaches only their own row's disclosures.
  patient: {
    purposes: ['TREATMENT'],
    grants: {
      TREATMENT: ['reference', 'demographic', 'contact', 'clinical', 'clinical_coding', 'coverage', 'financial', 'operational', 'audit'],
    },
    rows: 'own',
  },
  compliance: { purposes: ['OPERATIONS'], grants: { OPERATIONS: ['reference', 'operational', 'audit'] }, rows: 'none' },
  admin: { purposes: ['OPERATIONS'], grants: { OPERATIONS: ['reference', 'operational'] }, rows: 'none' },
};

/** The classes a role holds for a purpose, with the break-the-glass ones when a reason was given. */
export function grantedClasses(role: Role, purpose: Purpose, breakGlass: boolean): ReadonlySet<DataClass> {
  const policy = POLICY[role];
  const granted = new Set<DataClass>(policy.grants[purpose] ?? []);
  if (breakGlass) for (const c of policy.breakGlass ?? []) granted.add(c);
  return granted;
}

/** Whether the role may act under this purpose. */
export function allowsPurpose(role: Role, purpose: Purpose): boolean {
  return POLICY[role].purposes.includes(purpose);
}

/** Whether the role may state a break-the-glass reason at all. */
export function mayBreakGlass(role: Role): boolean {
  return (POLICY[role].breakGlass?.length ?? 0) > 0;
}
