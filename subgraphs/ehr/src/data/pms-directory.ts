import { isUuid } from '@chartbridge/kit';

/** What the EHR needs to know of a PMS encounter to document it. */
export interface EncounterFacts {
  readonly id: string;
  readonly patientId: string;
  readonly providerId: string | null;
  readonly serviceDate: string;
  readonly status: string;
}

/** The PMS's answer about one id: the row as the caller may see it, none, or refused to the caller. */
export type Lookup<T> = { readonly kind: 'found'; readonly value: T } | { readonly kind: 'not_found' } | { readonly kind: 'forbidden' };

export class PmsDirectoryError extends Error {
  override readonly name = 'PmsDirectoryError';
}

/** Who asks: the caller's own gateway-signed token, forwarded, and the request id. */
export interface PmsCaller {
  readonly internalToken: string;
  readonly requestId: string;
}

interface EntitiesResponse {
  readonly data?: { readonly _entities?: ReadonlyArray<Record<string, unknown> | null> } | null;
  readonly errors?: ReadonlyArray<{ readonly path?: ReadonlyArray<string | number>; readonly extensions?: { readonly code?: string } }>;
}

interface EncounterEntity {
  readonly id: string;
  readonly serviceDate: string;
  readonly status: string;
  readonly patient: { readonly id: string } | null;
  readonly provider: { readonly id: string } | null;
}

/**
 * The PMS owns patients, providers and encounters; the EHR refers to them by id. Before writing, the
 * EHR asks the PMS through its `_entities` (the door the gateway uses) with the caller's own
 * gateway-signed token: the PMS applies its policy to the caller and audits the lookup, and the EHR
 * never takes a patient, encounter or provider on the client's word. Each method answers a batch of
 * ids in one call (the loaders in pms-lookups.ts collect them per request).
 */
export class PmsDirectory {
  readonly #pmsUrl: string;

  constructor(pmsUrl: string) {
    this.#pmsUrl = pmsUrl;
  }

  /** The encounters' patient, provider, date of service and status, to document them. */
  async encounters(ids: readonly string[], caller: PmsCaller): Promise<Array<Lookup<EncounterFacts>>> {
    const answers = await this.#entities('Encounter', 'id serviceDate status patient { id } provider { id }', ids, caller);
    return answers.map((answer) => {
      if (answer.kind !== 'found') return answer;
      const e = answer.value as unknown as EncounterEntity;
      if (!e.patient) return { kind: 'not_found' };
      const value = { id: e.id, patientId: e.patient.id, providerId: e.provider?.id ?? null, serviceDate: e.serviceDate, status: e.status };
      return { kind: 'found', value };
    });
  }

  /** Whether these patients exist (and the caller may reach them). */
  async patients(ids: readonly string[], caller: PmsCaller): Promise<Array<Lookup<true>>> {
    return (await this.#entities('Patient', 'id', ids, caller)).map((a) => (a.kind === 'found' ? { kind: 'found', value: true } : a));
  }

  /** Whether these providers are in the practice's directory. */
  async providers(ids: readonly string[], caller: PmsCaller): Promise<Array<Lookup<true>>> {
    return (await this.#entities('Provider', 'id', ids, caller)).map((a) => (a.kind === 'found' ? { kind: 'found', value: true } : a));
  }

  /**
   * One `_entities` call for the ids (a malformed id is not found without asking). An entity the PMS
   * refused to the caller (FORBIDDEN at its path) is `forbidden`; any other error, or no answer, throws
   * {@link PmsDirectoryError} (the caller then gets a masked error, never a guess).
   */
  async #entities(
    typename: string,
    selection: string,
    ids: readonly string[],
    caller: PmsCaller,
  ): Promise<Array<Lookup<Record<string, unknown>>>> {
    const asked = ids.map((id, index) => ({ id, index })).filter((a) => isUuid(a.id));
    const answers: Array<Lookup<Record<string, unknown>>> = ids.map(() => ({ kind: 'not_found' }));
    if (asked.length === 0) return answers;
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { ${selection} } } }`;
    let body: EntitiesResponse;
    try {
      const res = await fetch(this.#pmsUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${caller.internalToken}`, 'x-request-id': caller.requestId },
        body: JSON.stringify({ query, variables: { r: asked.map((a) => ({ __typename: typename, id: a.id })) } }),
        signal: AbortSignal.timeout(5000),
      });
      body = (await res.json()) as EntitiesResponse;
    } catch (error) {
      throw new PmsDirectoryError(`The PMS could not be asked about ${typename} ids`, { cause: error });
    }
    const refused = new Set<number>();
    for (const error of body.errors ?? []) {
      const position = error.path?.[0] === '_entities' ? error.path[1] : undefined;
      if (error.extensions?.code !== 'FORBIDDEN' || typeof position !== 'number') {
        throw new PmsDirectoryError(`The PMS answered the ${typename} lookup with an error`);
      }
      refused.add(position);
    }
    const entities = body.data?._entities;
    if (!entities || entities.length !== asked.length) throw new PmsDirectoryError(`The PMS gave no answer to the ${typename} lookup`);
    for (const [position, { index }] of asked.entries()) {
      const entity = entities[position];
      answers[index] = refused.has(position) ? { kind: 'forbidden' } : entity ? { kind: 'found', value: entity } : { kind: 'not_found' };
    }
    return answers;
  }
}
