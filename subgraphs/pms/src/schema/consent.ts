import type { ConsentRow } from '@chartbridge/db';
import { mutationResult } from '@chartbridge/kit';
import { builder } from '../builder.js';
import { consentsByPatientId } from '../data/consent.loaders.js';
import { CONSENTABLE_CLASSES, recordConsent, revokeConsent, type ConsentableClass } from '../services/consent.service.js';
import { Patient } from './patient.js';

const ConsentDataClass = builder.enumType('ConsentDataClass', {
  description: 'A class of data a patient may let a partner see.',
  values: Object.fromEntries(CONSENTABLE_CLASSES.map((c) => [c.toUpperCase(), { value: c }])) as Record<
    Uppercase<ConsentableClass>,
    { value: ConsentableClass }
  >,
});

const ConsentStatus = builder.enumType('ConsentStatus', {
  values: {
    ACTIVE: { value: 'active', description: 'In force today.' },
    SCHEDULED: { value: 'scheduled', description: 'Starts later.' },
    EXPIRED: { value: 'expired', description: 'Its period has ended.' },
    REVOKED: { value: 'revoked' },
  } as const,
});

function statusOf(row: ConsentRow, today: string): 'active' | 'scheduled' | 'expired' | 'revoked' {
  if (row.revoked_at) return 'revoked';
  if (row.valid_from > today) return 'scheduled';
  if (row.valid_to !== null && row.valid_to < today) return 'expired';
  return 'active';
}

export const Consent = builder.objectRef<ConsentRow>('Consent').implement({
  description: "A patient's permission for a partner to see some classes of their data for a period, revocable.",
  patientOf: (c) => c.patient_id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    partnerId: t.exposeString('partner_id', { nullable: false, dataClass: 'operational' }),
    dataClasses: t.field({
      type: [ConsentDataClass],
      nullable: false,
      dataClass: 'operational',
      resolve: (c) => c.data_classes as ConsentableClass[],
    }),
    validFrom: t.field({ type: 'Date', dataClass: 'operational', resolve: (c) => c.valid_from }),
    validTo: t.field({ type: 'Date', dataClass: 'operational', resolve: (c) => c.valid_to }),
    status: t.field({
      type: ConsentStatus,
      nullable: false,
      dataClass: 'operational',
      resolve: (c) => statusOf(c, new Date().toISOString().slice(0, 10)),
    }),
    recordedBy: t.exposeString('recorded_by', { dataClass: 'operational' }),
    revokedAt: t.field({ type: 'DateTime', dataClass: 'operational', resolve: (c) => c.revoked_at }),
    createdAt: t.field({ type: 'DateTime', dataClass: 'operational', resolve: (c) => c.created_at }),
  }),
});

builder.objectField(Patient, 'consents', (t) =>
  t.field({
    type: [Consent],
    dataClass: 'operational',
    description: "The patient's partner consents, live and past, newest first.",
    resolve: (p, _args, ctx) => consentsByPatientId(ctx).load(p.id),
  }),
);

const resultOf = (name: string) => mutationResult(builder, name, Consent);

const RecordConsentInput = builder.inputType('RecordConsentInput', {
  fields: (t) => ({
    patientId: t.id({ required: true }),
    partnerId: t.string({ required: true }),
    dataClasses: t.field({ type: [ConsentDataClass], required: true }),
    validFrom: t.field({ type: 'Date', required: true }),
    validTo: t.field({ type: 'Date' }),
  }),
});

builder.mutationFields((t) => ({
  recordConsent: t.field({
    type: resultOf('RecordConsentResult'),
    nullable: false,
    dataClass: 'reference',
    writes: 'consent.record',
    description: "Records a patient's consent for a partner (front desk, or the patient for themself); replaces a live one.",
    args: { input: t.arg({ type: RecordConsentInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      recordConsent(ctx, {
        patientId: input.patientId,
        partnerId: input.partnerId,
        dataClasses: input.dataClasses,
        validFrom: input.validFrom,
        validTo: input.validTo ?? null,
      }),
  }),
  revokeConsent: t.field({
    type: resultOf('RevokeConsentResult'),
    nullable: false,
    dataClass: 'reference',
    writes: 'consent.revoke',
    description: 'Revokes a live consent: the partner loses access at once.',
    args: {
      input: t.arg({
        type: builder.inputType('RevokeConsentInput', { fields: (f) => ({ id: f.id({ required: true }) }) }),
        required: true,
      }),
    },
    resolve: (_root, { input }, ctx) => revokeConsent(ctx, input),
  }),
}));
