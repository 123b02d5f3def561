import { mutationErrorTypes, mutationResult } from '@chartbridge/kit';
import { builder } from '../builder.js';
import type { Finding } from '../rules/claim-scrubber.js';
import { ClaimScrubError, scrubStoredClaim, submitClaim } from '../services/claim-submission.service.js';
import { Claim } from './claim.js';

const ScrubSeverity = builder.enumType('ScrubSeverity', {
  values: {
    ERROR: { value: 'error', description: 'Keeps the claim from submission.' },
    WARNING: { value: 'warning', description: 'Worth a look; does not keep the claim from submission.' },
  } as const,
});

export const ScrubFinding = builder.objectRef<Finding>('ScrubFinding').implement({
  description: 'What a scrubbing rule found wrong with a claim.',
  fields: (t) => ({
    rule: t.exposeString('rule', { nullable: false, dataClass: 'financial', description: 'The rule, e.g. `COVERAGE_ACTIVE`.' }),
    severity: t.field({ type: ScrubSeverity, nullable: false, dataClass: 'financial', resolve: (f) => f.severity }),
    // Names procedure and diagnosis codes: coding, not money (the front desk's payment purpose has no coding).
    message: t.exposeString('message', {
      nullable: true,
      dataClass: 'clinical_coding',
      description: 'What is wrong, with codes: null and FORBIDDEN without clinical_coding.',
    }),
    lineNumber: t.exposeInt('lineNumber', {
      nullable: true,
      dataClass: 'financial',
      description: 'The line at fault; null for the whole claim.',
    }),
  }),
});

builder.objectField(Claim, 'scrubFindings', (t) =>
  t.field({
    type: [ScrubFinding],
    nullable: false,
    dataClass: 'financial',
    description: 'The scrubber run on the claim now: an error finding keeps it from `submitClaim`.',
    resolve: (c, _args, ctx) => scrubStoredClaim(ctx, c),
  }),
);

const errors = mutationErrorTypes(builder);

const ClaimScrubErrorType = builder.objectRef<ClaimScrubError>('ClaimScrubError').implement({
  description:
    'The claim fails scrubbing (`BAD_USER_INPUT`, field `input.claimId`) and was not submitted: every finding, warnings included.',
  interfaces: [errors.Error],
  isTypeOf: (value) => value instanceof ClaimScrubError,
  fields: (t) => ({
    findings: t.field({ type: [ScrubFinding], nullable: false, dataClass: 'financial', resolve: (e) => [...e.findings] }),
  }),
});

const SubmitClaimResult = mutationResult(builder, 'SubmitClaimResult', Claim, {
  description: 'The submitted claim, or why it was not submitted.',
  errors: [[ClaimScrubErrorType, ClaimScrubError]],
});

const SubmitClaimInput = builder.inputType('SubmitClaimInput', {
  fields: (t) => ({ claimId: t.id({ required: true }) }),
});

builder.mutationFields((t) => ({
  submitClaim: t.field({
    type: SubmitClaimResult,
    nullable: false,
    dataClass: 'reference',
    writes: 'claim.submit',
    description:
      'Scrubs a draft or ready claim and submits it (billers). Error findings refuse it (`ClaimScrubError`: BAD_USER_INPUT naming the rules, with the findings); a claim past ready is a CONFLICT.',
    args: { input: t.arg({ type: SubmitClaimInput, required: true }) },
    resolve: (_root, { input }, ctx) => submitClaim(ctx, { claimId: input.claimId }),
  }),
}));
