import type { EncounterRow } from '@chartbridge/db';
import { badUserInput, connectionType, pageRequest, parseId, toConnection } from '@chartbridge/kit';
import { builder } from '../builder.js';
import { listEncounters } from '../data/encounter.repository.js';
import { encounterById } from '../data/encounter.loaders.js';
import { providerById } from '../data/provider.loaders.js';
import { consentingPartner, findReachable, learnConsents } from './consent-scope.js';
import { Patient, requirePatient } from './patient.js';
import { Provider } from './provider.js';

const EncounterStatus = builder.enumType('EncounterStatus', {
  values: {
    ARRIVED: { value: 'arrived', description: 'Checked in, not yet seen.' },
    IN_PROGRESS: { value: 'in_progress' },
    FINISHED: { value: 'finished' },
    CANCELLED: { value: 'cancelled' },
  } as const,
});

export const Encounter = builder.objectRef<EncounterRow>('Encounter').implement({
  description: 'A visit: opened by the PMS at check-in, documented in the EHR.',
  patientOf: (e) => e.patient_id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    patient: t.field({
      type: Patient,
      nullable: false,
      dataClass: 'reference',
      resolve: (e, _args, ctx) => requirePatient(ctx, e.patient_id, 'Encounter'),
    }),
    provider: t.field({ type: Provider, dataClass: 'reference', resolve: (e, _args, ctx) => providerById(ctx).load(e.provider_id) }),
    serviceDate: t.field({ type: 'Date', nullable: false, dataClass: 'operational', resolve: (e) => e.service_date }),
    status: t.field({ type: EncounterStatus, nullable: false, dataClass: 'operational', resolve: (e) => e.status }),
  }),
});

builder.asEntity(Encounter, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: async (ref, ctx) => {
    const encounter = await encounterById(ctx).load(ref.id);
    if (!encounter) return null;
    await learnConsents(ctx, [encounter.patient_id]);
    // A field with `@requires` (compliance.ts) reads what the gateway sent beside the key; the row's
    // own columns win over anything sent, and the loader's shared row is left as it was.
    return { ...ref, ...encounter };
  },
});

const EncounterConnection = connectionType(builder, 'Encounter', Encounter);

builder.queryFields((t) => ({
  encounter: t.field({
    type: Encounter,
    dataClass: 'reference',
    description: 'One encounter by id; null with NOT_FOUND when there is none.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => findReachable(ctx, 'Encounter', args.id, (id) => encounterById(ctx).load(id)),
  }),
  encounters: t.field({
    type: EncounterConnection,
    nullable: false,
    dataClass: 'reference',
    description: 'Encounters, most recent date of service first; `from` and `to` are inclusive.',
    args: {
      first: t.arg.int(),
      after: t.arg.string(),
      patientId: t.arg.id(),
      providerId: t.arg.id(),
      from: t.arg({ type: 'Date' }),
      to: t.arg({ type: 'Date' }),
    },
    resolve: async (_root, args, ctx) => {
      const page = pageRequest(args, ['date', 'uuid']);
      if (args.from && args.to && args.from > args.to) throw badUserInput('to must not be before from', 'to');
      ctx.access.assertCanListPatients();
      const scope = ctx.access.patientScope();
      const requested = args.patientId ? parseId(args.patientId, 'patientId') : undefined;
      if (requested && (scope.kind === 'only' || scope.kind === 'consented')) {
        // Asking for someone else's list is refused outright, never answered with an empty page.
        await learnConsents(ctx, [requested]);
        ctx.access.assertCanReachPatient(requested);
      }
      const patientId = scope.kind === 'only' ? scope.patientId : requested;
      const partnerId = consentingPartner(ctx);
      const rows = await listEncounters(ctx.db, {
        limit: page.first,
        ...(page.after ? { after: [page.after[0] ?? '', page.after[1] ?? ''] as const } : {}),
        ...(patientId ? { patientId } : {}),
        ...(partnerId ? { consentedTo: { partnerId, today: new Date().toISOString().slice(0, 10) } } : {}),
        ...(args.providerId ? { providerId: parseId(args.providerId, 'providerId') } : {}),
        ...(args.from ? { from: args.from } : {}),
        ...(args.to ? { to: args.to } : {}),
      });
      for (const row of rows) encounterById(ctx).prime(row.id, row);
      await learnConsents(
        ctx,
        rows.map((r) => r.patient_id),
      );
      return toConnection(rows, page, (e) => [e.service_date, e.id]);
    },
  }),
}));
