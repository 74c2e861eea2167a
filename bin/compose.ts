/** `npm run compose`: regenerates schema/supergraph.graphql from the subgraph SDL files. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SUPERGRAPH_PATH, composeSupergraph } from '../schema/compose.ts';

try {
  writeFileSync(SUPERGRAPH_PATH, composeSupergraph());
  console.error(`wrote ${fileURLToPath(SUPERGRAPH_PATH)}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
