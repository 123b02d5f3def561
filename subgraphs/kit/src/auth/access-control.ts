import { forbidden } from '../errors.js';
import type { DataClass, Identity } from './identity.js';
import { POLICY, grantedClasses } from './policy.js';

/** Which patients' rows a request may reach. */
export type PatientScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'only'; readonly patientId: string }
  /** A partner: the patients whose live consent names it. */
  | { readonly kind: 'consented'; readonly partnerId: string }
  | { readonly kind: 'none' };

/**
 * One request's access decisions: the classes its identity holds, the patients it may reach, and a
 * record of what it was shown and refused, which the audit trail writes when the request ends.
 */
export class AccessControl {
  readonly identity: Identity;
  readonly granted: ReadonlySet<DataClass>;
  /** Data classes returned per patient id. */
  readonly accessed = new Map<string, Set<DataClass>>();
  /** Data classes refused per patient id ('' for data not tied to a patient). */
  readonly denied = new Map<string, Set<DataClass>>();
  #breakGlassUsed = false;
  /** For a partner: the classes each patient's live consent grants it, as learned during this request. */
  readonly #consents = new Map<string, ReadonlySet<DataClass>>();
  /** Patients ('' for none) on whose rows the write policy allowed a change during this request. */
  readonly #changesAuthorized = new Set<string>();
  /** The write-policy actions allowed during this request. */
  readonly #actionsAuthorized = new Set<string>();

  constructor(identity: Identity) {
    this.identity = identity;
    this.granted = grantedClasses(identity.role, identity.purpose, identity.breakGlassReason !== null);
  }

  /** True once a class opened only by break-the-glass was actually returned. */
  get breakGlassUsed(): boolean {
    return this.#breakGlassUsed;
  }

  allows(dataClass: DataClass): boolean {
    return this.granted.has(dataClass);
  }

  /** The rows of patients this request may reach, for list queries to filter on. */
  patientScope(): PatientScope {
    switch (POLICY[this.identity.role].rows) {
      case 'all':
        return { kind: 'all' };
      case 'own':
        return this.identity.patientId ? { kind: 'only', patientId: this.identity.patientId } : { kind: 'none' };
      case 'consented':
        return this.identity.partnerId ? { kind: 'consented', partnerId: this.identity.partnerId } : { kind: 'none' };
      case 'none':
        return { kind: 'none' };
    }
  }

  /**
   * Tells a partner's request which classes a patient's live consent grants it. The PMS learns it from
   * its consent records; the EHR from the PMS, through `@requires` on the patient's fields.
   */
  registerConsent(patientId: string, classes: readonly string[]): void {
    this.#consents.set(patientId, new Set(classes as readonly DataClass[]));
  }

  canReachPatient(patientId: string): boolean {
    const scope = this.patientScope();
    switch (scope.kind) {
      case 'all':
        return true;
      case 'only':
        return scope.patientId === patientId;
      case 'consented':
        return this.#consents.has(patientId);
      case 'none':
        return false;
    }
  }

  /**
   * Whether a class may be shown for this patient's row: granted to the role for the purpose and, for
   * a partner, also named by the patient's consent (`reference` comes with any consent).
   */
  allowsFor(dataClass: DataClass, patientId: string | null): boolean {
    if (!this.granted.has(dataClass)) return false;
    if (this.patientScope().kind !== 'consented' || patientId === null || dataClass === 'reference') return true;
    return this.#consents.get(patientId)?.has(dataClass) ?? false;
  }

  /** Throws FORBIDDEN unless this request may reach the patient's row. */
  assertCanReachPatient(patientId: string): void {
    if (!this.canReachPatient(patientId)) {
      this.recordDenied(patientId, 'reference');
      throw forbidden("This patient's record is not available to you");
    }
  }

  /** The classes a partner's consent grants for this patient, as far as this request knows; null otherwise. */
  consentedClasses(patientId: string): readonly DataClass[] | null {
    const classes = this.#consents.get(patientId);
    return classes ? [...classes].sort() : null;
  }

  /** Throws FORBIDDEN unless this request may list patient rows at all. */
  assertCanListPatients(): void {
    if (this.patientScope().kind === 'none') {
      this.recordDenied('', 'reference');
      throw forbidden('Patient records are not available to your role');
    }
  }

  /** Notes that the write policy allowed the action on this patient's row (null: tied to no patient). */
  noteChangeAuthorized(action: string, patientId: string | null): void {
    this.#actionsAuthorized.add(action);
    this.#changesAuthorized.add(patientId?.toLowerCase() ?? '');
  }

  /** Whether the write policy allowed this action during this request. */
  actionAuthorized(action: string): boolean {
    return this.#actionsAuthorized.has(action);
  }

  /** Whether a change on this patient's row (or on none) was authorized during this request. */
  changeAuthorizedFor(patientId: string | null): boolean {
    return this.#changesAuthorized.has(patientId?.toLowerCase() ?? '');
  }

  recordAccess(patientId: string, dataClass: DataClass): void {
    let classes = this.accessed.get(patientId);
    if (!classes) this.accessed.set(patientId, (classes = new Set()));
    classes.add(dataClass);
    if (!POLICY[this.identity.role].grants[this.identity.purpose]?.includes(dataClass)) this.#breakGlassUsed = true;
  }

  recordDenied(patientId: string, dataClass: DataClass): void {
    let classes = this.denied.get(patientId);
    if (!classes) this.denied.set(patientId, (classes = new Set()));
    classes.add(dataClass);
  }
}
