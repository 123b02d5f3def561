import { isUuid } from '@chartbridge/kit';

/** What the EHR needs to know of a PMS encounter to document it. */
export interface EncounterFacts {
  readonly id: string;
  readonly patientId: string;
  readonly providerId: string | null;
  readonly serviceDate: string;
  readonly status: string;
}

export type EncounterLookup =
  | { readonly kind: 'found'; readonly encounter: EncounterFacts }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'forbidden' };

export class EncounterDirectoryError extends Error {
  override readonly name = 'EncounterDirectoryError';
}

const QUERY = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Encounter { id serviceDate status patient { id } provider { id } } } }`;

interface EntitiesResponse {
  readonly data?: { readonly _entities?: ReadonlyArray<{ id: string; serviceDate: string; status: string; patient: { id: string } | null; provider: { id: string } | null } | null> } | null;
  readonly errors?: ReadonlyArray<{ readonly extensions?: { readonly code?: string } }>;
}

/**
 * The PMS owns encounters; the EHR documents them. Before writing documentation the EHR asks the PMS
 * (its `_entities`, the same door the gateway uses) for the encounter's patient, provider and date
 * of service, with the caller's own gateway-signed token: the PMS applies its policy to the caller
 * and audits the lookup, and the EHR never takes a patient id from the client for a note.
 */
export class EncounterDirectory {
  readonly #pmsUrl: string;

  constructor(pmsUrl: string) {
    this.#pmsUrl = pmsUrl;
  }

  /** Throws {@link EncounterDirectoryError} when the PMS cannot be asked (the caller then gets a masked error). */
  async find(encounterId: string, caller: { readonly internalToken: string; readonly requestId: string }): Promise<EncounterLookup> {
    if (!isUuid(encounterId)) return { kind: 'not_found' };
    let body: EntitiesResponse;
    try {
      const res = await fetch(this.#pmsUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${caller.internalToken}`, 'x-request-id': caller.requestId },
        body: JSON.stringify({ query: QUERY, variables: { r: [{ __typename: 'Encounter', id: encounterId }] } }),
        signal: AbortSignal.timeout(5000),
      });
      body = (await res.json()) as EntitiesResponse;
    } catch (error) {
      throw new EncounterDirectoryError('The PMS could not be asked about the encounter', { cause: error });
    }
    if (body.errors?.some((e) => e.extensions?.code === 'FORBIDDEN')) return { kind: 'forbidden' };
    if (body.errors?.length) throw new EncounterDirectoryError('The PMS answered the encounter lookup with an error');
    const entity = body.data?._entities?.[0];
    if (!entity?.patient) return { kind: 'not_found' };
    return {
      kind: 'found',
      encounter: { id: entity.id, patientId: entity.patient.id, providerId: entity.provider?.id ?? null, serviceDate: entity.serviceDate, status: entity.status },
    };
  }
}
