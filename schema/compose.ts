/**
 * Build-time composition (`npm run compose`): the subgraphs' SDL files, in catalogue order,
 * composed with @apollo/composition into the supergraph the gateway loads. Never introspection at
 * run time: what the gateway serves is what was reviewed and committed.
 */
import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPHS } from './catalogue.ts';

export const SUPERGRAPH_PATH = new URL('./supergraph.graphql', import.meta.url);

/** Subgraphs in the supergraph: the departments, then the gateway's in-process platform graph. */
export function supergraphMembers(): { name: string; url: string }[] {
  return [
    ...SUBGRAPHS.map((s) => ({ name: s.name, url: `http://localhost:${s.port}/graphql` })),
    // Served in-process by the gateway; the URL is never called.
    { name: 'platform', url: 'in-process://platform' },
  ];
}

export function composeSupergraph(): string {
  const services = supergraphMembers().map(({ name, url }) => ({
    name,
    url,
    typeDefs: parse(readFileSync(new URL(`./${name}.graphql`, import.meta.url), 'utf8')),
  }));
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(
      `Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`,
    );
  }
  return result.supergraphSdl;
}

export function readSupergraph(): string {
  return readFileSync(SUPERGRAPH_PATH, 'utf8');
}
