import { ehrSchema } from '@chartbridge/ehr';
import type { DataClass, DataClassExtension } from '@chartbridge/kit';
import { pmsSchema } from '@chartbridge/pms';
import { isObjectType } from 'graphql';

/** The data classes that some field of either subgraph declares. */
export function classifiedDataClasses(): DataClass[] {
  const classes = new Set<DataClass>();
  for (const schema of [pmsSchema(), ehrSchema()]) {
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        const ext = field.extensions['dataClass'] as DataClassExtension | undefined;
        if (ext) {
          classes.add(ext.dataClass);
          if (ext.mayBeSensitive) classes.add('sensitive_clinical');
        }
      }
    }
  }
  return [...classes].sort();
}
