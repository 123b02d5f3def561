import type { ObjectRef } from '@pothos/core';
import type { BaseBuilder, SubgraphBuilder, SubgraphTypes } from './builder.js';
import type { RequestContext } from './context.js';

/** Code system URIs, as FHIR names them (docs/PRACTICE-DOMAIN.md, "Code sets and their validation"). */
export const CODE_SYSTEMS = {
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  cpt: 'http://www.ama-assn.org/go/cpt',
  hcpcs: 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
} as const;

/** A code in a code system, with its display text when there is one (`Coding`, docs/API-CONVENTIONS.md). */
export interface CodingShape {
  readonly system: string;
  readonly code: string;
  readonly display: string | null;
}

export function coding(system: keyof typeof CODE_SYSTEMS, code: string, display: string | null): CodingShape {
  return { system: CODE_SYSTEMS[system], code, display };
}

const refs = new WeakMap<object, ObjectRef<SubgraphTypes<RequestContext>, CodingShape>>();

/** The shareable `Coding` value type, defined once per builder (both domains show codes). */
export function codingType<Ctx extends RequestContext>(subgraphBuilder: SubgraphBuilder<Ctx>): ObjectRef<SubgraphTypes<Ctx>, CodingShape> {
  // See createSubgraphBuilder: the kit defines its types against the base context.
  const builder = subgraphBuilder as unknown as BaseBuilder;
  let ref = refs.get(builder);
  if (!ref) {
    ref = builder.objectRef<CodingShape>('Coding').implement({
      description: 'A code in a code system (ICD-10-CM, CPT, HCPCS), with its display text.',
      fields: (t) => ({
        system: t.exposeString('system', { nullable: false, shareable: true, dataClass: 'reference' }),
        code: t.exposeString('code', { nullable: false, shareable: true, dataClass: 'reference' }),
        display: t.exposeString('display', { nullable: true, shareable: true, dataClass: 'reference' }),
      }),
    });
    refs.set(builder, ref);
  }
  return ref as unknown as ObjectRef<SubgraphTypes<Ctx>, CodingShape>;
}
