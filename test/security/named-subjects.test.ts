/** The subjects an operation names at its root: what a scoped purpose can reach. */
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { namedSubjects } from '../../gateway/access/named-subjects.ts';

const schema = buildSchema(`
  type Person { id: ID! household: Household }
  type Household { id: ID! members: [Person!] }
  input FeedbackInput { household: ID! note: String }
  input DeterminationInput { household: ID! coveredMembers: [ID!]! caseId: String! }
  type Query {
    person(id: ID!): Person
    persons(ids: [ID!]!): [Person]
    household(id: ID!): Household
    households(ids: [ID!]!): [Household]
    disasterEvents(id: ID): [String]
  }
  type Mutation {
    recordFeedback(input: FeedbackInput!): String
    recordDetermination(input: DeterminationInput!): String
  }
`);

function named(source: string, variables: Record<string, unknown> = {}) {
  const document = parse(source);
  const operation = document.definitions.find(
    (d) => d.kind === 'OperationDefinition',
  ) as OperationDefinitionNode;
  const fragments = Object.fromEntries(
    document.definitions.flatMap((d) =>
      d.kind === 'FragmentDefinition' ? [[d.name.value, d]] : [],
    ),
  );
  const found = namedSubjects(schema, operation, fragments, variables);
  return { households: [...found.households].sort(), persons: [...found.persons].sort() };
}

describe('namedSubjects', () => {
  it('reads root lookups by the type they return, from literals and variables', () => {
    expect(
      named(
        `query($p: [ID!]!, $h: ID!) { persons(ids: $p) { id } household(id: $h) { id }
          person(id: "P3") { id } households(ids: ["H2"]) { id } }`,
        { p: ['P1', 'P2'], h: 'H1' },
      ),
    ).toEqual({ households: ['H1', 'H2'], persons: ['P1', 'P2', 'P3'] });
  });

  it('follows aliases, inline fragments and fragment spreads at the root', () => {
    expect(
      named(
        `query { a: household(id: "H1") { id } ... on Query { b: person(id: "P1") { id } }
          ...More } fragment More on Query { c: persons(ids: ["P2"]) { id } }`,
      ),
    ).toEqual({ households: ['H1'], persons: ['P1', 'P2'] });
  });

  it('reads households and members from write inputs, literal or variable', () => {
    expect(
      named(`mutation($i: DeterminationInput!) { recordDetermination(input: $i) }`, {
        i: { household: 'H1', coveredMembers: ['P1', 'P2'], caseId: 'C-1' },
      }),
    ).toEqual({ households: ['H1'], persons: ['P1', 'P2'] });
    expect(named(`mutation { recordFeedback(input: { household: "H2", note: "P9" }) }`)).toEqual({
      households: ['H2'],
      persons: [],
    });
  });

  it('ignores ids of other types and other arguments', () => {
    expect(named(`query { disasterEvents(id: "E1") }`)).toEqual({ households: [], persons: [] });
  });
});
