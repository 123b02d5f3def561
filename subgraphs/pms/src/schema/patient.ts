import type { PatientRow } from '@chartbridge/db';
import { connectionType, notFound, pageRequest, parseId, toConnection } from '@chartbridge/kit';
import { GraphQLError } from 'graphql';
import { builder } from '../builder.js';
import type { PmsContext } from '../context.js';
import { patientById } from '../data/patient.loaders.js';
import { listPatients } from '../data/patient.repository.js';
import { consentingPartner, learnConsents } from './consent-scope.js';
import { HumanName, humanName } from './shared.js';

export const Sex = builder.enumType('Sex', {
  description: 'Administrative sex, as registered.',
  values: {
    FEMALE: { value: 'female' },
    MALE: { value: 'male' },
    OTHER: { value: 'other' },
    UNKNOWN: { value: 'unknown' },
  } as const,
});

interface AddressShape {
  readonly line: readonly string[];
  readonly city: string | null;
  readonly state: string | null;
  readonly postalCode: string | null;
  readonly country: string | null;
}

const Address = builder.objectRef<AddressShape>('Address').implement({
  description: 'A postal address.',
  fields: (t) => ({
    line: t.stringList({ nullable: false, dataClass: 'reference', resolve: (a) => [...a.line] }),
    city: t.exposeString('city', { dataClass: 'reference' }),
    state: t.exposeString('state', { dataClass: 'reference' }),
    postalCode: t.exposeString('postalCode', { dataClass: 'reference' }),
    country: t.exposeString('country', { dataClass: 'reference', description: 'ISO 3166-1 alpha-2 country code.' }),
  }),
});

export const Patient = builder.objectRef<PatientRow>('Patient').implement({
  description: 'A registered patient. Demographics live here, in the PMS, once.',
  patientOf: (p) => p.id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    mrn: t.exposeString('mrn', { dataClass: 'demographic', description: 'Medical record number, assigned by the practice.' }),
    name: t.field({ type: HumanName, dataClass: 'demographic', resolve: (p) => humanName(p) }),
    birthDate: t.field({ type: 'Date', dataClass: 'demographic', resolve: (p) => p.birth_date }),
    sex: t.field({ type: Sex, dataClass: 'demographic', resolve: (p) => p.sex }),
    phone: t.exposeString('phone', { dataClass: 'contact' }),
    email: t.exposeString('email', { dataClass: 'contact' }),
    address: t.field({
      type: Address,
      dataClass: 'contact',
      resolve: (p) =>
        p.address_lines.length === 0 && !p.city && !p.postal_code
          ? null
          : { line: p.address_lines, city: p.city, state: p.state, postalCode: p.postal_code, country: p.country },
    }),
    consentedDataClasses: t.stringList({
      dataClass: 'reference',
      description:
        "For a partner: the data classes this patient's live consent grants it (null for other callers). " +
        'The EHR requires it to apply the same consent to clinical fields.',
      resolve: (p, _args, ctx) => ctx.access.consentedClasses(p.id),
    }),
  }),
});

builder.asEntity(Patient, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: async (ref, ctx) => {
    await learnConsents(ctx, [ref.id]);
    return patientById(ctx).load(ref.id);
  },
});

const PatientConnection = connectionType(builder, 'Patient', Patient);

builder.queryFields((t) => ({
  patient: t.field({
    type: Patient,
    dataClass: 'reference',
    description: 'One patient by id; null with NOT_FOUND when there is none.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = parseId(args.id, 'id');
      await learnConsents(ctx, [id]);
      ctx.access.assertCanReachPatient(id);
      const patient = await patientById(ctx).load(id);
      if (!patient) throw notFound('Patient', id);
      return patient;
    },
  }),
  patients: t.field({
    type: PatientConnection,
    nullable: false,
    dataClass: 'reference',
    description: 'Patients ordered by family name; `search` matches a family-name prefix or an exact MRN.',
    args: { first: t.arg.int(), after: t.arg.string(), search: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      const page = pageRequest(args, ['text', 'uuid']);
      ctx.access.assertCanListPatients();
      const scope = ctx.access.patientScope();
      const partnerId = consentingPartner(ctx);
      const rows = await listPatients(ctx.db, {
        ...(scope.kind === 'only' ? { onlyPatientId: scope.patientId } : {}),
        ...(partnerId ? { consentedTo: { partnerId, today: new Date().toISOString().slice(0, 10) } } : {}),
        limit: page.first,
        ...(page.after ? { after: [page.after[0] ?? '', page.after[1] ?? ''] as const } : {}),
        ...(args.search ? { search: args.search } : {}),
      });
      for (const row of rows) patientById(ctx).prime(row.id, row);
      await learnConsents(
        ctx,
        rows.map((r) => r.id),
      );
      return toConnection(rows, page, (p) => [p.family_name, p.id]);
    },
  }),
}));

/**
 * The patient a row belongs to. A foreign key guarantees it, so its absence means the database is
 * inconsistent: an unexpected error (masked at the edge), never a null the client must handle.
 */
export async function requirePatient(ctx: PmsContext, patientId: string, owner: string): Promise<PatientRow> {
  const patient = await patientById(ctx).load(patientId);
  if (!patient) throw new GraphQLError(`${owner} without its patient`);
  return patient;
}
