/** HR and social security: employment, unemployment registration, social insurance. */
import { defineSubgraph } from '../runtime/definition.ts';
import { loadSdl } from '../runtime/sdl.ts';
import { createLoaders } from './loaders.ts';
import { resolvers } from './resolvers.ts';
import { seeder } from './seed.ts';
import { migrations } from './tables.ts';

export default defineSubgraph({
  name: 'employment',
  typeDefs: loadSdl('employment'),
  resolvers,
  migrations,
  createLoaders,
  seeder,
});
