/** Healthcare security: medical insurance, premium subsidies, medical expenses, critical illness */
import { defineSubgraph } from '../runtime/definition.ts';
import { loadSdl } from '../runtime/sdl.ts';
import { createLoaders } from './loaders.ts';
import { resolvers } from './resolvers.ts';
import { seeder } from './seed.ts';
import { migrations } from './tables.ts';

export default defineSubgraph({
  name: 'medical',
  typeDefs: loadSdl('medical'),
  resolvers,
  migrations,
  createLoaders,
  seeder,
});
