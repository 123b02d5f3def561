/** The roles a caller can hold (docs/API-CONVENTIONS.md, "Roles, purposes and data classes"). */
export const ROLES = ['clinician', 'nurse', 'front_desk', 'biller', 'analyst', 'partner', 'patient', 'compliance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Purposes of use under HIPAA's treatment, payment and health-care operations (45 CFR 164.506). */
export const PURPOSES = ['TREATMENT', 'PAYMENT', 'OPERATIONS'] as const;
export type Purpose = (typeof PURPOSES)[number];

/**
 * What kind of information a field holds. Every field of the graph declares one; a role and a purpose
 * of use grant a set of them (see policy.ts).
 */
export const DATA_CLASSES = [
  'reference', //          ids, links and structure (edges, value-type parts: their parent field is classified)
  'demographic', //        name, birth date, sex, MRN
  'contact', //            phone, e-mail, address
  'sensitive_identifier', // SSN and similar: encrypted at rest, masked unless granted
  'clinical', //           the chart: notes' text, allergies, problems, medications, results
  'clinical_coding', //    codes and documentation status that support a claim, without the notes' text
  'sensitive_clinical', // behavioural health and other restricted records: break-the-glass only
  'coverage', //           insurance: payer, member id, plan, eligibility
  'financial', //          charges, claims, payments, balances
  'operational', //        scheduling, providers, encounter status and dates
  'audit', //              the audit trail
] as const;
export type DataClass = (typeof DATA_CLASSES)[number];

/** The verified caller of one request, as the gateway established it and the subgraphs receive it. */
export interface Identity {
  /** The token's `sub`: a user, a patient portal account or a partner's client. */
  readonly subject: string;
  readonly role: Role;
  readonly scopes: readonly string[];
  /** For the patient role: the one patient whose record this caller may see. */
  readonly patientId: string | null;
  /** For the partner role: the partner whose patients' consents apply. */
  readonly partnerId: string | null;
  /**
   * The provider (a `Provider` id of the PMS's directory) the caller is, from the token's `provider`
   * claim: a clinician's or nurse's own entry. Authorship binds to it (a note's author and signer);
   * null when the token names none, and then every write that needs a provider is refused.
   */
  readonly providerId: string | null;
  readonly purpose: Purpose;
  /** Set when a clinician declared an emergency (`X-Break-Glass-Reason`); always audited. */
  readonly breakGlassReason: string | null;
  /** The client application, from the `X-Client-Name` header, for the audit trail. */
  readonly client: string | null;
}
