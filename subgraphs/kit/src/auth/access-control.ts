import { forbidden } from '../errors.js';
import type { DataClass, Identity } from './identity.js';
import { POLICY, grantedClasses } from './policy.js';

/** Which patients' rows a request may reach. */
export type PatientScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'only'; readonly patientId: string }
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
      // Partner consent records arrive with the consent model; until then a partner reaches no row.
      case 'consented':
      case 'none':
        return { kind: 'none' };
    }
  }

  canReachPatient(patientId: string): boolean {
    const scope = this.patientScope();
    return scope.kind === 'all' || (scope.kind === 'only' && scope.patientId === patientId);
  }

  /** Throws FORBIDDEN unless this request may reach the patient's row. */
  assertCanReachPatient(patientId: string): void {
    if (!this.canReachPatient(patientId)) {
      this.recordDenied(patientId, 'reference');
      throw forbidden("This patient's record is not available to you");
    }
  }

  /** Throws FORBIDDEN unless this request may list patient rows at all. */
  assertCanListPatients(): void {
    if (this.patientScope().kind === 'none') {
      this.recordDenied('', 'reference');
      throw forbidden('Patient records are not available to your role');
    }
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
