/** Emergency management: declared disasters, household damage and the relief paid. */
import { defineSubgraph } from '../runtime/definition.ts';
import { loadSdl } from '../runtime/sdl.ts';
import { createLoaders } from './loaders.ts';
import { resolvers } from './resolvers.ts';
import { seeder } from './seed.ts';
import { migrations } from './tables.ts';

export default defineSubgraph({
  name: 'disaster',
  typeDefs: loadSdl('disaster'),
  resolvers,
  migrations,
  createLoaders,
  seeder,
});
