import type { AuditRecord } from '@chartbridge/db';
import type { AccessControl } from '../auth/access-control.js';

/**
 * The audit records of one subgraph request: one per patient whose data it returned (with the data
 * classes, the purpose and whether break-the-glass opened any of it), and one per patient (or none)
 * for what it refused. Requests that touched no patient's data write nothing here; the gateway's
 * request record still covers them.
 */
export function accessRecords(access: AccessControl, requestId: string): AuditRecord[] {
  const { identity } = access;
  const base = {
    requestId,
    actorId: identity.subject,
    role: identity.role,
    client: identity.client,
    purpose: identity.purpose,
  };
  const records: AuditRecord[] = [];
  for (const [patientId, classes] of access.accessed) {
    const sensitive = classes.has('sensitive_clinical');
    records.push({
      ...base,
      action: 'patient.access',
      outcome: 'success',
      patientId,
      dataClasses: [...classes].sort(),
      breakGlass: sensitive && identity.breakGlassReason !== null,
      breakGlassReason: sensitive ? identity.breakGlassReason : null,
    });
  }
  for (const [patientId, classes] of access.denied) {
    records.push({
      ...base,
      action: 'access.denied',
      outcome: 'denied',
      patientId: patientId === '' ? null : patientId,
      dataClasses: [...classes].sort(),
    });
  }
  return records;
}
