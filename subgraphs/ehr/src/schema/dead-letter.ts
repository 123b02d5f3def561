import { connectionType, mutationResult, pageRequest, toConnection } from '@chartbridge/kit';
import { builder } from '../builder.js';
import { listDeadLetters, type DeadLetterRow } from '../data/outbox-delivery.repository.js';
import { assertMayManageOutbox, requeueDeadLetter } from '../services/dead-letter.service.js';

export const OutboxEvent = builder.objectRef<DeadLetterRow>('OutboxEvent').implement({
  description: "An event of the EHR's outbox, as its delivery stands: ids, type, attempts and last error, never its content.",
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    eventType: t.exposeString('event_type', { nullable: false, dataClass: 'operational' }),
    aggregateId: t.exposeID('aggregate_id', { nullable: false, dataClass: 'reference', description: 'The encounter the event is about.' }),
    attempts: t.exposeInt('attempts', {
      nullable: false,
      dataClass: 'operational',
      description: 'Failed deliveries since it was written or last requeued.',
    }),
    lastError: t.exposeString('last_error', {
      dataClass: 'operational',
      description: "The last failure: an HTTP status and the intake's error code, or a network error's code.",
    }),
    createdAt: t.field({ type: 'DateTime', nullable: false, dataClass: 'operational', resolve: (e) => e.created_at }),
    nextAttemptAt: t.field({
      type: 'DateTime',
      dataClass: 'operational',
      resolve: (e) => (e.dead_at || e.published_at ? null : e.next_attempt_at),
    }),
    deadAt: t.field({
      type: 'DateTime',
      dataClass: 'operational',
      description: 'When the relay gave up on it; null once requeued.',
      resolve: (e) => e.dead_at,
    }),
    publishedAt: t.field({ type: 'DateTime', dataClass: 'operational', resolve: (e) => e.published_at }),
  }),
});

const OutboxEventConnection = connectionType(builder, 'OutboxEvent', OutboxEvent);

builder.queryFields((t) => ({
  deadLetters: t.field({
    type: OutboxEventConnection,
    nullable: false,
    dataClass: 'operational',
    description: 'Outbox events the relay gave up on, most recently dead first (administrators).',
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      const page = pageRequest(args, ['instant', 'uuid']);
      assertMayManageOutbox(ctx.access);
      const rows = await listDeadLetters(ctx.db, {
        limit: page.first,
        ...(page.after ? { after: [page.after[0] ?? '', page.after[1] ?? ''] as const } : {}),
      });
      return toConnection(rows, page, (e) => [new Date(e.dead_at ?? 0).toISOString(), e.id]);
    },
  }),
}));

const RequeueDeadLetterInput = builder.inputType('RequeueDeadLetterInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

builder.mutationFields((t) => ({
  requeueDeadLetter: t.field({
    type: mutationResult(builder, 'RequeueDeadLetterResult', OutboxEvent),
    nullable: false,
    dataClass: 'reference',
    writes: 'outbox.requeue',
    description: 'Gives a dead letter a fresh set of delivery attempts, due now (administrators).',
    args: { input: t.arg({ type: RequeueDeadLetterInput, required: true }) },
    resolve: (_root, { input }, ctx) => requeueDeadLetter(ctx, input),
  }),
}));
