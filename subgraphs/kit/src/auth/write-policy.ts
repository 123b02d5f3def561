import type { DataClass, Identity, Purpose, Role } from './identity.js';
import { POLICY, grantedClasses } from './policy.js';

/**
 * Who may change what: the single source of the write policy, beside the read policy (policy.ts).
 * Every mutation names its action (the Pothos `writes` option, checked by a schema test) and goes
 * through `authorizeChange`; docs/SECURITY.md's write table is written from this one and a test keeps
 * them equal.
 */
export interface WriteRule {
  /** Which subgraph makes the change; its audit chain records the decision. */
  readonly owner: 'pms' | 'ehr';
  /** What the change is, for the docs table and the refusal ("You may not <does>"). */
  readonly does: string;
  /**
   * What the change writes. The acting purpose must grant every one of them: a change never writes
   * what its caller could not read for the same purpose.
   */
  readonly classes: readonly DataClass[];
  /**
   * The roles that may, each with the purposes it may act under and the rows it reaches: `all` (any
   * patient, or none), `own` (only the patient the caller is).
   */
  readonly grants: Readonly<Partial<Record<Role, WriteGrant>>>;
  /**
   * The change lowers a record's protection: only with a stated break-the-glass reason (so only a
   * role that may break the glass), and its record is flagged with the reason.
   */
  readonly breakGlass?: true;
  /**
   * Decided inside another action's mutation rather than declared by one of its own (an SSN written
   * by registration, a note's kind lowered by its update).
   */
  readonly within?: readonly string[];
}

export interface WriteGrant {
  readonly purposes: readonly [Purpose, ...Purpose[]];
  readonly rows: 'all' | 'own';
}

const CHARTING: WriteGrant = { purposes: ['TREATMENT'], rows: 'all' };
const CHART_WRITERS = { clinician: CHARTING, nurse: CHARTING } as const;
const CLINICIAN_ONLY = { clinician: CHARTING } as const;
const DESK_OPERATIONS: WriteGrant = { purposes: ['OPERATIONS', 'PAYMENT'], rows: 'all' };
const BILLING: WriteGrant = { purposes: ['PAYMENT'], rows: 'all' };
const PATIENT_SELF: WriteGrant = { purposes: ['TREATMENT'], rows: 'own' };

export const WRITE_POLICY = {
  // EHR: the chart.
  'allergy.record': { owner: 'ehr', does: 'record allergies', classes: ['clinical'], grants: CHART_WRITERS },
  'allergy_status.record': { owner: 'ehr', does: 'record allergy statuses', classes: ['clinical'], grants: CHART_WRITERS },
  'note.start': { owner: 'ehr', does: 'start notes', classes: ['clinical'], grants: CHART_WRITERS },
  'note.update': { owner: 'ehr', does: 'edit draft notes', classes: ['clinical'], grants: CHART_WRITERS },
  'note.declassify': {
    owner: 'ehr',
    does: "lower a note's protection (change a restricted note's kind)",
    classes: ['sensitive_clinical'],
    grants: CLINICIAN_ONLY,
    breakGlass: true,
    within: ['note.update'],
  },
  'note.sign': { owner: 'ehr', does: 'sign notes', classes: ['clinical'], grants: CLINICIAN_ONLY },
  'note.addendum': { owner: 'ehr', does: 'amend signed notes', classes: ['clinical'], grants: CLINICIAN_ONLY },
  'diagnosis.record': { owner: 'ehr', does: 'record diagnoses', classes: ['clinical_coding'], grants: CHART_WRITERS },
  'procedure.record': { owner: 'ehr', does: 'record procedures', classes: ['clinical_coding'], grants: CHART_WRITERS },
  'immunization.record': { owner: 'ehr', does: 'record immunizations', classes: ['clinical'], grants: CHART_WRITERS },
  'problem.record': { owner: 'ehr', does: 'record problems', classes: ['clinical'], grants: CHART_WRITERS },
  'prescription.create': { owner: 'ehr', does: 'prescribe', classes: ['clinical'], grants: CHART_WRITERS },
  'prescription.stop': { owner: 'ehr', does: 'stop medications', classes: ['clinical'], grants: CHART_WRITERS },
  'vitals.record': { owner: 'ehr', does: 'record vital signs', classes: ['clinical'], grants: CHART_WRITERS },
  'lab.order': { owner: 'ehr', does: 'order lab tests', classes: ['clinical'], grants: CHART_WRITERS },
  'lab.result.record': { owner: 'ehr', does: 'record lab results', classes: ['clinical'], grants: CHART_WRITERS },
  'outbox.requeue': {
    owner: 'ehr',
    does: 'requeue dead-lettered events',
    classes: ['operational'],
    grants: { admin: { purposes: ['OPERATIONS'], rows: 'all' } },
  },
  // PMS: registration, scheduling, insurance, consent, claims and payments.
  'patient.register': {
    owner: 'pms',
    does: 'register patients',
    classes: ['demographic', 'contact'],
    grants: { front_desk: DESK_OPERATIONS },
  },
  'patient.update': {
    owner: 'pms',
    does: "change patients' demographics",
    classes: ['demographic', 'contact'],
    grants: { front_desk: DESK_OPERATIONS },
  },
  'patient.ssn.write': {
    owner: 'pms',
    does: "record or change patients' SSNs",
    classes: ['sensitive_identifier'],
    grants: { front_desk: { purposes: ['OPERATIONS'], rows: 'all' } },
    within: ['patient.register', 'patient.update'],
  },
  'appointment.book': {
    owner: 'pms',
    does: 'book appointments',
    classes: ['operational'],
    grants: { front_desk: DESK_OPERATIONS, patient: PATIENT_SELF },
  },
  'appointment.reschedule': {
    owner: 'pms',
    does: 'reschedule appointments',
    classes: ['operational'],
    grants: { front_desk: DESK_OPERATIONS, patient: PATIENT_SELF },
  },
  'appointment.cancel': {
    owner: 'pms',
    does: 'cancel appointments',
    classes: ['operational'],
    grants: { front_desk: DESK_OPERATIONS, patient: PATIENT_SELF },
  },
  'appointment.no_show': { owner: 'pms', does: 'mark no-shows', classes: ['operational'], grants: { front_desk: DESK_OPERATIONS } },
  'appointment.check_in': { owner: 'pms', does: 'check patients in', classes: ['operational'], grants: { front_desk: DESK_OPERATIONS } },
  'consent.record': {
    owner: 'pms',
    does: "record patients' consents",
    classes: ['operational'],
    grants: { front_desk: DESK_OPERATIONS, patient: PATIENT_SELF },
  },
  'consent.revoke': {
    owner: 'pms',
    does: "revoke patients' consents",
    classes: ['operational'],
    grants: { front_desk: DESK_OPERATIONS, patient: PATIENT_SELF },
  },
  'coverage.add': { owner: 'pms', does: "record patients' insurance", classes: ['coverage'], grants: { front_desk: DESK_OPERATIONS } },
  'eligibility.check': {
    owner: 'pms',
    does: 'check eligibility',
    classes: ['coverage'],
    grants: { front_desk: DESK_OPERATIONS, biller: BILLING },
  },
  'claim.submit': { owner: 'pms', does: 'submit claims', classes: ['financial'], grants: { biller: BILLING } },
  'claim.appeal': { owner: 'pms', does: 'appeal claims', classes: ['financial'], grants: { biller: BILLING } },
  'remittance.post': { owner: 'pms', does: 'post remittances', classes: ['financial'], grants: { biller: BILLING } },
  // Taking a payment at the desk is a payment activity: under PAYMENT, never under OPERATIONS.
  'patient_payment.post': {
    owner: 'pms',
    does: 'post patient payments',
    classes: ['financial'],
    grants: { front_desk: { purposes: ['PAYMENT'], rows: 'all' }, biller: BILLING },
  },
} as const satisfies Readonly<Record<string, WriteRule>>;

export type WriteAction = keyof typeof WRITE_POLICY;

export const WRITE_ACTIONS = Object.keys(WRITE_POLICY) as readonly WriteAction[];

export function isWriteAction(value: string): value is WriteAction {
  return Object.hasOwn(WRITE_POLICY, value);
}

export function writeRule(action: WriteAction): WriteRule {
  return WRITE_POLICY[action];
}

export type WriteDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/**
 * Whether this caller may make the change, on this patient's row (`null`: a change tied to no one
 * patient; `undefined`: the row is not known yet, so only role, purpose and glass are decided). The
 * reason names the action and the caller's own role or purpose, never a value of the record.
 */
export function writeDecision(identity: Identity, action: WriteAction, patientId: string | null | undefined): WriteDecision {
  const rule = writeRule(action);
  const grant = rule.grants[identity.role];
  if (!grant) return { allowed: false, reason: `You may not ${rule.does}` };
  if (!grant.purposes.includes(identity.purpose))
    return { allowed: false, reason: `You may not ${rule.does} acting for ${identity.purpose}` };
  if (rule.breakGlass && identity.breakGlassReason === null) {
    return { allowed: false, reason: `You may not ${rule.does} without stating a reason in X-Break-Glass-Reason` };
  }
  const granted = grantedClasses(identity.role, identity.purpose, rule.breakGlass === true && identity.breakGlassReason !== null);
  if (!rule.classes.every((c) => granted.has(c)))
    return { allowed: false, reason: `You may not ${rule.does} acting for ${identity.purpose}` };
  if (patientId === undefined || grant.rows === 'all') return { allowed: true };
  // rows: own. A change tied to no patient, or to another, is not the caller's.
  if (patientId === null || identity.patientId === null || identity.patientId.toLowerCase() !== patientId.toLowerCase()) {
    return { allowed: false, reason: `You may not ${rule.does} for another patient` };
  }
  return { allowed: true };
}

/**
 * The write policy's own consistency: each grant's purposes are purposes the role has, and grant the
 * classes the change writes (with the glass for a break-the-glass change). Returns what is wrong.
 */
export function writePolicyProblems(): string[] {
  const problems: string[] = [];
  for (const action of WRITE_ACTIONS) {
    const rule = writeRule(action);
    for (const [role, grant] of Object.entries(rule.grants) as Array<[Role, WriteGrant]>) {
      for (const purpose of grant.purposes) {
        if (!POLICY[role].purposes.includes(purpose)) problems.push(`${action}: ${role} never acts for ${purpose}`);
        const granted = grantedClasses(role, purpose, rule.breakGlass === true);
        for (const c of rule.classes) if (!granted.has(c)) problems.push(`${action}: ${role} for ${purpose} cannot read ${c}`);
      }
      if (grant.rows === 'own' && POLICY[role].rows !== 'own') problems.push(`${action}: ${role} has no own row`);
    }
    for (const outer of rule.within ?? []) if (!isWriteAction(outer)) problems.push(`${action}: within names no action ${outer}`);
  }
  return problems;
}
