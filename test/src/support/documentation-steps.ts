// The steps the billing tests share: documenting a visit in the EHR and submitting its claim,
// each a mutation through the gateway (support/mutations.ts) whose answer is the result union's member.

/** A seeded visit to document and bill: its encounter, patient, provider and date of service. */
export interface Visit {
  readonly encounter: string;
  readonly patient: string;
  readonly provider: string;
  readonly serviceDate: string;
}

export const BILLER = { as: { role: 'biller' as const } };

/** The clinician who is this provider: a note is started, signed and amended by its author. */
export const clinicianOf = (provider: string) => ({ as: { role: 'clinician' as const, provider } });

export const START_NOTE = `mutation ($input: StartNoteInput!) { startNote(input: $input) { __typename ... on ClinicalNote { id version } ... on Error { message code field } } }`;
export const SIGN_NOTE = `mutation ($input: SignNoteInput!) { signNote(input: $input) { __typename ... on ClinicalNote { id status } ... on Error { message code field } } }`;
export const RECORD_DIAGNOSIS = `mutation ($input: RecordDiagnosisInput!) { recordDiagnosis(input: $input) { __typename ... on Diagnosis { id } ... on Error { message errorCode: code field } } }`;
export const RECORD_PROCEDURE = `mutation ($input: RecordProcedureInput!) { recordProcedure(input: $input) { __typename ... on Procedure { id } ... on Error { message errorCode: code field } } }`;
export const SUBMIT_CLAIM = `mutation ($input: SubmitClaimInput!) { submitClaim(input: $input) { __typename ... on Claim { id status } ... on Error { message code field } ... on ClaimScrubError { findings { rule severity lineNumber } } } }`;
