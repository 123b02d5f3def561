import {
  DATA_CLASSES,
  POLICY,
  WRITE_ACTIONS,
  WRITE_POLICY,
  type DataClass,
  type DataClassExtension,
  type Role,
  type RolePolicy,
  type WriteGrant,
  type WriteRule,
  type WritesExtension,
} from '@chartbridge/kit';
import { isObjectType, type GraphQLSchema } from 'graphql';

export interface ManifestField {
  readonly dataClass: DataClass;
  /** Some rows make this field `sensitive_clinical` (a break-the-glass decision made per row). */
  readonly mayBeSensitive: boolean;
  readonly subgraph: string;
}

/**
 * The access policy as published by `pnpm compose` (schema/policy-manifest.json): each field's data
 * class and each role's grants, from the one source the subgraphs enforce (the Pothos field
 * definitions and subgraphs/kit/src/auth/policy.ts). The gateway reads it to refuse, before planning,
 * a request whose every data field is certain to be denied.
 */
export interface PolicyManifest {
  readonly version: 1;
  readonly dataClasses: readonly DataClass[];
  readonly roles: Readonly<Record<Role, RolePolicy>>;
  /** `Type.field` to its class, for every field but ids, links and structure (class `reference`). */
  readonly fields: Readonly<Record<string, ManifestField>>;
}

/** Every classified field of a subgraph schema, `Type.field` to its declared class. */
export function classifiedFields(schema: GraphQLSchema): Map<string, DataClassExtension> {
  const fields = new Map<string, DataClassExtension>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('_')) continue;
    for (const field of Object.values(type.getFields())) {
      const ext = field.extensions['dataClass'] as DataClassExtension | undefined;
      if (ext) fields.set(`${type.name}.${field.name}`, ext);
    }
  }
  return fields;
}

export function buildPolicyManifest(subgraphs: ReadonlyArray<{ readonly name: string; readonly schema: GraphQLSchema }>): PolicyManifest {
  const fields: Record<string, ManifestField> = {};
  for (const { name, schema } of subgraphs) {
    for (const [field, ext] of classifiedFields(schema)) {
      if (ext.dataClass === 'reference') continue;
      fields[field] = { dataClass: ext.dataClass, mayBeSensitive: ext.mayBeSensitive, subgraph: name };
    }
  }
  const sorted = Object.fromEntries(Object.entries(fields).sort(([a], [b]) => a.localeCompare(b)));
  return { version: 1, dataClasses: DATA_CLASSES, roles: POLICY, fields: sorted };
}

/** The policy as a Markdown table, for docs/SECURITY.md (a test keeps the two identical). */
export function policyTable(): string {
  const lines = ['| role | purposes | rows | classes granted per purpose | break the glass |', '|---|---|---|---|---|'];
  for (const [role, policy] of Object.entries(POLICY) as Array<[Role, RolePolicy]>) {
    const grants = policy.purposes.map((p) => `${p}: ${(policy.grants[p] ?? []).join(', ')}`).join('<br>');
    lines.push(`| ${role} | ${policy.purposes.join(', ')} | ${policy.rows} | ${grants} | ${(policy.breakGlass ?? []).join(', ') || '-'} |`);
  }
  return lines.join('\n');
}

/** The mutations that declare each write-policy action (the `writes` option), from the subgraph schemas. */
export function mutationsByAction(
  subgraphs: ReadonlyArray<{ readonly name: string; readonly schema: GraphQLSchema }>,
): Map<string, Array<{ mutation: string; subgraph: string }>> {
  const byAction = new Map<string, Array<{ mutation: string; subgraph: string }>>();
  for (const { name, schema } of subgraphs) {
    for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
      const action = (field.extensions['writes'] as WritesExtension | undefined)?.action;
      if (action === undefined) continue;
      const list = byAction.get(action) ?? [];
      list.push({ mutation: field.name, subgraph: name });
      byAction.set(action, list);
    }
  }
  return byAction;
}

/** The write policy as a Markdown table, for docs/SECURITY.md (a test keeps the two identical). */
export function writePolicyTable(subgraphs: ReadonlyArray<{ readonly name: string; readonly schema: GraphQLSchema }>): string {
  const mutations = mutationsByAction(subgraphs);
  const lines = ['| action | mutation | what | who: purposes (rows) | writes | break the glass |', '|---|---|---|---|---|---|'];
  for (const action of WRITE_ACTIONS) {
    const rule: WriteRule = WRITE_POLICY[action];
    const declared = (mutations.get(action) ?? []).map((m) => `\`${m.mutation}\``);
    const within = (rule.within ?? []).flatMap((outer) => mutations.get(outer) ?? []).map((m) => `\`${m.mutation}\``);
    const where = declared.length > 0 ? declared.join(', ') : `within ${within.join(', ')}`;
    const who = (Object.entries(rule.grants) as Array<[Role, WriteGrant]>)
      .map(([role, g]) => `${role}: ${g.purposes.join(', ')} (${g.rows})`)
      .join('<br>');
    lines.push(`| \`${action}\` | ${where} | ${rule.does} | ${who} | ${rule.classes.join(', ')} | ${rule.breakGlass ? 'required' : '-'} |`);
  }
  return lines.join('\n');
}
