// The README's joined query, without its pageInfo: each encounter with its patient and allergies
// (EHR), its provider (PMS) and its notes (EHR), whose authors' NPIs come back from the PMS.

const JOINED_SELECTION = /* GraphQL */ `
  edges {
    node {
      id
      serviceDate
      patient { id mrn name { given family } allergies { substance severity } }
      provider { id npi name { family } }
      notes { id status signedAt author { npi } }
    }
  }
`;

/** The joined query over the first `first` encounters. */
export const joinedQuery = (first: number): string => `{ encounters(first: ${first}) { ${JOINED_SELECTION} } }`;

/** An encounter as the joined query answers it. */
export interface JoinedEncounter {
  id: string;
  serviceDate: string;
  patient: {
    id: string;
    mrn: string;
    name: { given: string[]; family: string };
    allergies: Array<{ substance: string; severity: string | null }>;
  };
  provider: { id: string; npi: string; name: { family: string } };
  notes: Array<{ id: string; status: string; signedAt: string | null; author: { npi: string } }>;
}
