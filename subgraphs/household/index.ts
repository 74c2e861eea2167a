/** Household registry (public security): identity and household composition. */
import { defineSubgraph } from '../runtime/definition.ts';
import { loadSdl } from '../runtime/sdl.ts';
import { createLoaders } from './loaders.ts';
import { resolvers } from './resolvers.ts';
import { seeder } from './seed.ts';
import { migrations } from './tables.ts';

export default defineSubgraph({
  name: 'household',
  typeDefs: loadSdl('household'),
  resolvers,
  migrations,
  createLoaders,
  seeder,
});
