import { builder } from '../builder.js';

/** A person's name as FHIR's HumanName reduces it: given names in order, one family name. */
export interface HumanNameShape {
  readonly given: readonly string[];
  readonly family: string;
}

export const HumanName = builder.objectRef<HumanNameShape>('HumanName').implement({
  description: "A person's name: given names in order and the family name.",
  fields: (t) => ({
    given: t.stringList({ nullable: false, dataClass: 'reference', resolve: (n) => [...n.given] }),
    family: t.exposeString('family', { nullable: false, dataClass: 'reference' }),
  }),
});

export function humanName(row: { readonly given_names: readonly string[]; readonly family_name: string }): HumanNameShape {
  return { given: row.given_names, family: row.family_name };
}
