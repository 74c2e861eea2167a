/** Finds a department's definition by the name the catalogue gives it (its folder). */
import { SUBGRAPHS } from '../../schema/catalogue.ts';
import type { SubgraphDefinition } from './definition.ts';

export async function loadDefinition(name: string): Promise<SubgraphDefinition> {
  if (!SUBGRAPHS.some((s) => s.name === name)) {
    throw new Error(
      `unknown subgraph "${name}"; the catalogue lists: ${SUBGRAPHS.map((s) => s.name).join(', ')}`,
    );
  }
  const module = (await import(new URL(`../${name}/index.ts`, import.meta.url).href)) as {
    default?: SubgraphDefinition;
  };
  const definition = module.default;
  if (!definition || definition.name !== name) {
    throw new Error(
      `subgraphs/${name}/index.ts must default-export defineSubgraph({ name: '${name}', ... })`,
    );
  }
  return definition;
}

export function loadDefinitions(names: readonly string[] = SUBGRAPHS.map((s) => s.name)) {
  return Promise.all(names.map(loadDefinition));
}
