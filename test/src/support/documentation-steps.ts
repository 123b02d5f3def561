import { expect } from 'vitest';
import type { TestPlatform } from './test-platform.js';

// The steps the billing tests share: documenting a visit in the EHR and submitting its claim,
// each a mutation through the gateway whose answer is the result union's member.

/** A mutation's answer: the union member, with its `__typename`. */
export type MutationOutcome = { __typename: string; [key: string]: unknown };

/** Runs a one-`input` mutation on the platform as the caller; fails the test on a GraphQL error. */
export async function mutateOn(platform: TestPlatform, mutation: string, input: Record<string, unknown>, as: Parameters<TestPlatform['query']>[2] = {}): Promise<MutationOutcome> {
  const res = await platform.query<Record<string, MutationOutcome>>(mutation, { input }, as);
  expect(res.errors).toBeUndefined();
  const outcome = res.data ? Object.values(res.data)[0] : undefined;
  if (!outcome) throw new Error('The mutation answered nothing');
  return outcome;
}

export const BILLER = { as: { role: 'biller' as const } };

/** The clinician who is this provider: a note is started, signed and amended by its author. */
export const clinicianOf = (provider: string) => ({ as: { role: 'clinician' as const, provider } });

export const START_NOTE = `mutation ($input: StartNoteInput!) { startNote(input: $input) { __typename ... on ClinicalNote { id version } ... on Error { message code field } } }`;
export const SIGN_NOTE = `mutation ($input: SignNoteInput!) { signNote(input: $input) { __typename ... on ClinicalNote { id status } ... on Error { message code field } } }`;
export const RECORD_DIAGNOSIS = `mutation ($input: RecordDiagnosisInput!) { recordDiagnosis(input: $input) { __typename ... on Diagnosis { id } ... on Error { message errorCode: code field } } }`;
export const RECORD_PROCEDURE = `mutation ($input: RecordProcedureInput!) { recordProcedure(input: $input) { __typename ... on Procedure { id } ... on Error { message errorCode: code field } } }`;
export const SUBMIT_CLAIM = `mutation ($input: SubmitClaimInput!) { submitClaim(input: $input) { __typename ... on Claim { id status } ... on Error { message code field } ... on ClaimScrubError { findings { rule severity lineNumber } } } }`;
