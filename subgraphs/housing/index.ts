/** Housing department: real-estate registry, housing provident fund and housing support. */
import { defineSubgraph } from '../runtime/definition.ts';
import { loadSdl } from '../runtime/sdl.ts';
import { createLoaders } from './loaders.ts';
import { resolvers } from './resolvers.ts';
import { seeder } from './seed.ts';
import { migrations } from './tables.ts';

export default defineSubgraph({
  name: 'housing',
  typeDefs: loadSdl('housing'),
  resolvers,
  migrations,
  createLoaders,
  seeder,
});
