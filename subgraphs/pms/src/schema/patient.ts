import type { PatientRow } from '@chartbridge/db';
import { connectionType, notFound, pageRequest, parseId, toConnection } from '@chartbridge/kit';
import { builder } from '../builder.js';
import { patientById } from '../data/loaders.js';
import { listPatients } from '../data/patient.repository.js';
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
    line: t.stringList({ nullable: false, resolve: (a) => [...a.line] }),
    city: t.exposeString('city'),
    state: t.exposeString('state'),
    postalCode: t.exposeString('postalCode'),
    country: t.exposeString('country', { description: 'ISO 3166-1 alpha-2 country code.' }),
  }),
});

export const Patient = builder.objectRef<PatientRow>('Patient').implement({
  description: 'A registered patient. Demographics live here, in the PMS, once.',
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false }),
    mrn: t.exposeString('mrn', { description: 'Medical record number, assigned by the practice.' }),
    name: t.field({ type: HumanName, resolve: (p) => humanName(p) }),
    birthDate: t.field({ type: 'Date', resolve: (p) => p.birth_date }),
    sex: t.field({ type: Sex, resolve: (p) => p.sex }),
    phone: t.exposeString('phone'),
    email: t.exposeString('email'),
    address: t.field({
      type: Address,
      resolve: (p) =>
        p.address_lines.length === 0 && !p.city && !p.postal_code
          ? null
          : { line: p.address_lines, city: p.city, state: p.state, postalCode: p.postal_code, country: p.country },
    }),
  }),
});

builder.asEntity(Patient, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (ref, ctx) => patientById(ctx).load(ref.id),
});

const PatientConnection = connectionType(builder, 'Patient', Patient);

builder.queryFields((t) => ({
  patient: t.field({
    type: Patient,
    description: 'One patient by id; null with NOT_FOUND when there is none.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = parseId(args.id, 'id');
      const patient = await patientById(ctx).load(id);
      if (!patient) throw notFound('Patient', id);
      return patient;
    },
  }),
  patients: t.field({
    type: PatientConnection,
    nullable: false,
    description: 'Patients ordered by family name; `search` matches a family-name prefix or an exact MRN.',
    args: { first: t.arg.int(), after: t.arg.string(), search: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      const page = pageRequest(args, ['text', 'uuid']);
      const rows = await listPatients(ctx.db, {
        limit: page.first,
        ...(page.after ? { after: [page.after[0] ?? '', page.after[1] ?? ''] as const } : {}),
        ...(args.search ? { search: args.search } : {}),
      });
      for (const row of rows) patientById(ctx).prime(row.id, row);
      return toConnection(rows, page, (p) => [p.family_name, p.id]);
    },
  }),
}));
