import { readFile } from 'node:fs/promises';
import { WRITE_ACTIONS, WRITE_POLICY, isWriteAction, writePolicyProblems, type WriteRule, type WritesExtension } from '@chartbridge/kit';
import { describe, expect, test } from 'vitest';
import { SUBGRAPHS } from './compose.js';
import { mutationsByAction, writePolicyTable } from './policy-manifest.js';

const subgraphs = SUBGRAPHS.map((s) => ({ name: s.name, schema: s.schema() }));

describe.each(subgraphs)('the $name subgraph', ({ name, schema }) => {
  const mutations = Object.values(schema.getMutationType()?.getFields() ?? {});

  test('has mutations to check', () => {
    expect(mutations.length).toBeGreaterThan(5);
  });

  test('every mutation declares a write-policy action that this subgraph owns', () => {
    const wrong = mutations.flatMap((field) => {
      const action = (field.extensions['writes'] as WritesExtension | undefined)?.action;
      if (action === undefined || !isWriteAction(action)) return [`${field.name}: no action`];
      return WRITE_POLICY[action].owner === name ? [] : [`${field.name}: ${action} belongs to ${WRITE_POLICY[action].owner}`];
    });
    expect(wrong).toEqual([]);
  });
});

test('every action of the write policy is declared by a mutation, or decided within one that is', () => {
  const declared = mutationsByAction(subgraphs);
  const orphans = WRITE_ACTIONS.filter((action) => {
    const rule: WriteRule = WRITE_POLICY[action];
    return declared.has(action) ? rule.within !== undefined : !(rule.within ?? []).some((outer) => declared.has(outer));
  });
  expect(orphans).toEqual([]);
});

test('the write policy never lets a purpose write what it cannot read', () => {
  expect(writePolicyProblems()).toEqual([]);
});

test('docs/SECURITY.md shows the write policy exactly as the code declares it', async () => {
  const doc = await readFile(new URL('../../docs/SECURITY.md', import.meta.url), 'utf8');
  expect(doc).toContain(writePolicyTable(subgraphs));
});
