import type { AuditEventRow } from '@chartbridge/db';
import { badUserInput, connectionType, forbidden, pageRequest, parseId, toConnection, type PageRequest } from '@chartbridge/kit';
import { builder } from '../builder.js';
import type { PmsContext } from '../context.js';
import { listAuditEvents, type AuditEventQuery } from '../data/audit-event.repository.js';
import { Patient } from './patient.js';

export const AuditEvent = builder.objectRef<AuditEventRow>('AuditEvent').implement({
  description: 'One record of the tamper-evident audit trail: who did what to whose data, when, why, and how it ended.',
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'audit' }),
    at: t.field({ type: 'DateTime', nullable: false, dataClass: 'audit', resolve: (e) => e.at }),
    chain: t.exposeString('chain', { nullable: false, dataClass: 'audit', description: 'Which writer recorded it: gateway, pms or ehr.' }),
    actorId: t.exposeString('actor_id', { nullable: false, dataClass: 'audit' }),
    role: t.exposeString('role', { nullable: false, dataClass: 'audit' }),
    client: t.exposeString('client', { dataClass: 'audit' }),
    action: t.exposeString('action', { nullable: false, dataClass: 'audit' }),
    operationName: t.exposeString('operation_name', { dataClass: 'audit' }),
    patientId: t.exposeID('patient_id', { dataClass: 'audit' }),
    dataClasses: t.stringList({ nullable: false, dataClass: 'audit', resolve: (e) => e.data_classes }),
    purpose: t.exposeString('purpose', { dataClass: 'audit' }),
    outcome: t.exposeString('outcome', { nullable: false, dataClass: 'audit' }),
    requestId: t.exposeString('request_id', { nullable: false, dataClass: 'audit' }),
    breakGlass: t.exposeBoolean('break_glass', { nullable: false, dataClass: 'audit' }),
    breakGlassReason: t.exposeString('break_glass_reason', { dataClass: 'audit' }),
    entityType: t.exposeString('entity_type', { dataClass: 'audit' }),
    entityId: t.exposeString('entity_id', { dataClass: 'audit' }),
  }),
});

const AuditEventConnection = connectionType(builder, 'AuditEvent', AuditEvent);

function period(from: Date | null | undefined, to: Date | null | undefined): Pick<AuditEventQuery, 'from' | 'to'> {
  if (from && to && from > to) throw badUserInput('to must not be before from', 'to');
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

async function page(ctx: PmsContext, request: PageRequest, query: Omit<AuditEventQuery, 'limit' | 'after'>) {
  const rows = await listAuditEvents(ctx.db, {
    ...query,
    limit: request.first,
    ...(request.after ? { after: [request.after[0] ?? '', request.after[1] ?? ''] as const } : {}),
  });
  return toConnection(rows, request, (e) => [e.at.toISOString(), e.id]);
}

builder.queryFields((t) => ({
  auditEvents: t.field({
    type: AuditEventConnection,
    nullable: false,
    dataClass: 'reference',
    description: 'The audit trail, newest first (compliance role). `from` inclusive, `to` exclusive.',
    args: {
      patientId: t.arg.id(),
      actorId: t.arg.string(),
      from: t.arg({ type: 'DateTime' }),
      to: t.arg({ type: 'DateTime' }),
      first: t.arg.int(),
      after: t.arg.string(),
    },
    resolve: async (_root, args, ctx) => {
      if (ctx.access.identity.role !== 'compliance' || !ctx.access.allows('audit')) {
        ctx.access.recordDenied('', 'audit');
        throw forbidden('The audit trail is available to the compliance role');
      }
      return page(ctx, pageRequest(args, ['instant', 'uuid']), {
        ...(args.patientId ? { patientId: parseId(args.patientId, 'patientId') } : {}),
        ...(args.actorId ? { actorId: args.actorId } : {}),
        ...period(args.from, args.to),
      });
    },
  }),
}));

builder.objectField(Patient, 'disclosures', (t) =>
  t.field({
    type: AuditEventConnection,
    dataClass: 'audit',
    description:
      "An accounting of disclosures: who saw this patient's data for a purpose other than treatment, or as a partner; newest first.",
    args: { from: t.arg({ type: 'DateTime' }), to: t.arg({ type: 'DateTime' }), first: t.arg.int(), after: t.arg.string() },
    resolve: (patient, args, ctx) =>
      page(ctx, pageRequest(args, ['instant', 'uuid']), { patientId: patient.id, disclosuresOnly: true, ...period(args.from, args.to) }),
  }),
);
