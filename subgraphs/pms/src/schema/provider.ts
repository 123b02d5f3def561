import type { ProviderRow } from '@chartbridge/db';
import { connectionType, notFound, pageRequest, parseId, toConnection } from '@chartbridge/kit';
import { builder } from '../builder.js';
import { providerById } from '../data/provider.loaders.js';
import { listProviders } from '../data/provider.repository.js';
import { HumanName, humanName } from './shared.js';

export const Provider = builder.objectRef<ProviderRow>('Provider').implement({
  description: 'A rendering or attending clinician of the practice.',
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    npi: t.exposeString('npi', { dataClass: 'operational', description: 'National Provider Identifier (10 digits, Luhn check).' }),
    name: t.field({ type: HumanName, dataClass: 'operational', resolve: (p) => humanName(p) }),
    specialty: t.exposeString('specialty', { dataClass: 'operational' }),
  }),
});

builder.asEntity(Provider, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (ref, ctx) => providerById(ctx).load(ref.id),
});

const ProviderConnection = connectionType(builder, 'Provider', Provider);

builder.queryFields((t) => ({
  provider: t.field({
    type: Provider,
    dataClass: 'reference',
    description: 'One provider by id; null with NOT_FOUND when there is none.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = parseId(args.id, 'id');
      const provider = await providerById(ctx).load(id);
      if (!provider) throw notFound('Provider', id);
      return provider;
    },
  }),
  providers: t.field({
    type: ProviderConnection,
    nullable: false,
    dataClass: 'reference',
    description: 'Providers ordered by family name.',
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      const page = pageRequest(args, ['text', 'uuid']);
      const rows = await listProviders(ctx.db, {
        limit: page.first,
        ...(page.after ? { after: [page.after[0] ?? '', page.after[1] ?? ''] as const } : {}),
      });
      for (const row of rows) providerById(ctx).prime(row.id, row);
      return toConnection(rows, page, (p) => [p.family_name, p.id]);
    },
  }),
}));
