/**
 * The floor's subgraph calls, written by hand: the operations are the ones the query planner
 * produces for the benchmark queries (printed with @apollo/query-planner and copied here), so
 * the departments receive the same documents from all three gateways. One root call to the
 * household registry, then six entity calls in parallel: three on the Household (assistance,
 * disaster, housing) and three on its members (employment, medical, housing). The write is one
 * call to the assistance department.
 */

export interface EntityCall {
  subgraph: string;
  query: string;
  on: 'Household' | 'Person';
}

const entity = (
  prefix: string,
  n: number,
  subgraph: string,
  on: EntityCall['on'],
  body: string,
) => ({
  subgraph,
  on,
  query: `query ${prefix}__${subgraph}__${n}($representations:[_Any!]!){_entities(representations:$representations){...on ${on}{${body}}}}`,
});

function entityCalls(prefix: string): EntityCall[] {
  return [
    entity(
      prefix,
      1,
      'assistance',
      'Household',
      'determinations{program decision monthlyAmount effectiveFrom}',
    ),
    entity(
      prefix,
      2,
      'disaster',
      'Household',
      'disasterDamage{event{kind name}severity estimatedLoss}reliefReceived{kind amount}',
    ),
    entity(prefix, 3, 'housing', 'Household', 'housingSupport{kind status monthlyAmount}'),
    entity(
      prefix,
      4,
      'employment',
      'Person',
      'employment{status}socialInsurance{contributionBase}',
    ),
    entity(
      prefix,
      5,
      'medical',
      'Person',
      'medicalInsurance{scheme status}medicalExpenses(months:12){total reimbursed outOfPocket}',
    ),
    entity(
      prefix,
      6,
      'housing',
      'Person',
      'properties{certificateNumber usage area}providentFund{status monthlyDeposit balance}',
    ),
  ];
}

const HOUSEHOLD_ROOT =
  'household{__typename id regionName address members{__typename id name relationToHead}}';

export interface FloorOperation {
  /** household: one household; batch: persons and their households; write: the answer as is. */
  kind: 'household' | 'batch' | 'write';
  subgraph: string;
  root: string;
  entities: EntityCall[];
}

/** By the client's operationName. */
export const FLOOR_OPERATIONS: Record<string, FloorOperation> = {
  Household: {
    kind: 'household',
    subgraph: 'household',
    root: 'query Household__household__0($id:ID!){household(id:$id){__typename id regionName address members{__typename id name relationToHead}}}',
    entities: entityCalls('Household'),
  },
  BatchReview: {
    kind: 'batch',
    subgraph: 'household',
    root: `query BatchReview__household__0($ids:[ID!]!){persons(ids:$ids){id name ${HOUSEHOLD_ROOT}}}`,
    entities: entityCalls('BatchReview'),
  },
  RecordDetermination: {
    kind: 'write',
    subgraph: 'assistance',
    root: 'mutation RecordDetermination__assistance__0($input:RecordDeterminationInput!){recordDetermination(input:$input){id caseId program decision effectiveFrom monthlyAmount coveredMembers}}',
    entities: [],
  },
};

type Obj = Record<string, unknown>;

/** The members' fields, in the query's order (the gateway's response order). */
function member(m: Obj): Obj {
  return {
    id: m.id,
    name: m.name,
    relationToHead: m.relationToHead,
    properties: m.properties,
    providentFund: m.providentFund,
    medicalInsurance: m.medicalInsurance,
    medicalExpenses: m.medicalExpenses,
    employment: m.employment,
    socialInsurance: m.socialInsurance,
  };
}

/** A merged household as the client asked for it (no __typename: the client did not ask). */
export function householdView(h: Obj): Obj {
  const members = h.members as Obj[] | null;
  return {
    id: h.id,
    regionName: h.regionName,
    address: h.address,
    members: members ? members.map(member) : null,
    housingSupport: h.housingSupport,
    disasterDamage: h.disasterDamage,
    reliefReceived: h.reliefReceived,
    determinations: h.determinations,
  };
}
