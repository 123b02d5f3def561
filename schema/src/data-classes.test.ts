import { ehrSchema } from '@chartbridge/ehr';
import { DATA_CLASSES, type DataClassExtension } from '@chartbridge/kit';
import { pmsSchema } from '@chartbridge/pms';
import { isObjectType, type GraphQLSchema } from 'graphql';
import { describe, expect, test } from 'vitest';

/** Every output field of a subgraph with the data class it declared (undefined when none). */
function classifiedFields(schema: GraphQLSchema): Array<[string, DataClassExtension | undefined]> {
  const fields: Array<[string, DataClassExtension | undefined]> = [];
  for (const type of Object.values(schema.getTypeMap())) {
    // Introspection and federation's own types carry no domain data.
    if (!isObjectType(type) || type.name.startsWith('_')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.name.startsWith('_')) continue;
      fields.push([`${type.name}.${field.name}`, field.extensions['dataClass'] as DataClassExtension | undefined]);
    }
  }
  return fields;
}

describe.each([
  ['pms', pmsSchema],
  ['ehr', ehrSchema],
])('the %s subgraph', (_name, schema) => {
  const fields = classifiedFields(schema());

  test('has fields to check', () => {
    expect(fields.length).toBeGreaterThan(10);
  });

  test('declares a known data class on every field', () => {
    const unclassified = fields.filter(([, ext]) => ext === undefined || !DATA_CLASSES.includes(ext.dataClass)).map(([name]) => name);
    expect(unclassified).toEqual([]);
  });
});

test('the restricted note text and its addenda are the only fields that can turn sensitive', () => {
  const sensitive = [...classifiedFields(pmsSchema()), ...classifiedFields(ehrSchema())]
    .filter(([, ext]) => ext?.mayBeSensitive)
    .map(([name]) => name);
  expect(sensitive.sort()).toEqual([
    'ClinicalNote.assessment',
    'ClinicalNote.objective',
    'ClinicalNote.plan',
    'ClinicalNote.subjective',
    'NoteAddendum.text',
  ]);
});
