/** Civil affairs: assistance determinations (dibao, tekun, low-income ...) and per-person status. */
import { defineSubgraph } from '../runtime/definition.ts';
import { loadSdl } from '../runtime/sdl.ts';
import { feedCursorMigrations } from './feed-cursor.ts';
import { createLoaders } from './loaders.ts';
import { resolvers } from './resolvers.ts';
import { seeder } from './seed.ts';
import { migrations } from './tables.ts';

export default defineSubgraph({
  name: 'assistance',
  typeDefs: loadSdl('assistance'),
  resolvers,
  migrations: { ...migrations, ...feedCursorMigrations },
  createLoaders,
  seeder,
});
