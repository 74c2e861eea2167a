/**
 * Child process (c), the floor: a plain node:http server that makes the query plan's subgraph
 * calls by hand (floor-ops.ts), the way our gateway makes them (the same keep-alive client,
 * lib/http-client.ts, and the same synchronous signer, one access context per call), merges the
 * entities and writes the JSON. No parsing, validation, planning or security of the client's
 * request: whatever a gateway costs above this is the gateway.
 */
import http from 'node:http';
import type { AccessContext } from '../schema/access.ts';
import { AccessContextSigner, signAccessContext, variablesJson } from '../schema/access-context.ts';
import { JsonPostClient } from '../lib/http-client.ts';
import { CATALOGUE } from '../schema/catalogue.ts';
import { departmentCategoryMap } from '../schema/department-categories.ts';
import { loadSdl } from '../subgraphs/runtime/sdl.ts';
import { baselineAccess, gatewaySigningKey } from './bench-access.ts';
import { childConfig, runChild, sendToParent, stopWhenAsked } from './child.ts';
import { FLOOR_OPERATIONS, householdView } from './floor-ops.ts';
import type { GatewayChildConfig } from './gateway-ours.ts';

type Obj = Record<string, unknown>;
interface GraphQLResponse {
  data?: Obj | null;
  errors?: unknown[];
}

runChild(async () => {
  const options = childConfig<GatewayChildConfig>();
  // Ours' signer as ours configures it: each department told only its own consent categories,
  // and grouped access reports asked for. floor-stock: jose's signer, as a stock gateway.
  const { key } = await gatewaySigningKey(options.dataDir);
  const signer = new AccessContextSigner(key, {
    departmentCategories: departmentCategoryMap(CATALOGUE, loadSdl),
  });
  const sign = options.stockAccessContext
    ? (access: AccessContext, subgraph: string, query: string, variables: Obj) =>
        signAccessContext(access, subgraph, query, variables, key)
    : (access: AccessContext, subgraph: string, query: string, variables: Obj) =>
        signer.sign(access, subgraph, query, variablesJson(variables));
  const clients = new Map(
    Object.entries(options.subgraphUrls).map(([name, url]) => [
      name,
      new JsonPostClient(url, { timeoutMs: 5000 }),
    ]),
  );

  const call = async (subgraph: string, query: string, variables: Obj, access: AccessContext) => {
    const accessContext = await sign(access, subgraph, query, variables);
    const body = JSON.stringify({ query, variables, extensions: { accessContext } });
    const response = await clients.get(subgraph)!.post(body);
    if (response.status !== 200) throw new Error(`${subgraph} answered HTTP ${response.status}`);
    return JSON.parse(response.body) as GraphQLResponse;
  };

  const execute = async (body: Obj, access: AccessContext): Promise<GraphQLResponse> => {
    const operation = FLOOR_OPERATIONS[String(body.operationName)];
    if (!operation) throw new Error(`the floor only knows ${Object.keys(FLOOR_OPERATIONS)}`);
    const batch = operation.kind === 'batch';
    const variables = (body.variables ?? {}) as Obj;
    const root = await call(operation.subgraph, operation.root, variables, access);
    if (operation.kind === 'write') return root;
    const errors = [...(root.errors ?? [])];
    const persons = batch ? ((root.data?.persons ?? []) as (Obj | null)[]) : [];
    const households = (batch ? persons.map((p) => p?.household) : [root.data?.household]).filter(
      Boolean,
    ) as Obj[];
    const members = households.flatMap((h) => (h.members ?? []) as Obj[]);
    await Promise.all(
      operation.entities.map(async (e) => {
        const targets = e.on === 'Household' ? households : members;
        if (targets.length === 0) return;
        const representations = targets.map((t) => ({ __typename: e.on, id: t.id }));
        const result = await call(e.subgraph, e.query, { representations }, access);
        if (result.errors) errors.push(...result.errors);
        const entities = (result.data?._entities ?? []) as (Obj | null)[];
        targets.forEach((t, i) => Object.assign(t, entities[i]));
      }),
    );
    const data = batch
      ? {
          persons: persons.map((p) =>
            p
              ? {
                  id: p.id,
                  name: p.name,
                  household: p.household ? householdView(p.household as Obj) : null,
                }
              : null,
          ),
        }
      : { household: households[0] ? householdView(households[0]) : null };
    return errors.length > 0 ? { errors, data } : { data };
  };

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const access = baselineAccess(req.headers['x-consent-token']);
      Promise.resolve()
        .then(() => execute(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Obj, access))
        .then((result) => send(res, 200, result))
        .catch((error: unknown) => send(res, 500, { errors: [{ message: String(error) }] }));
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  stopWhenAsked(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  sendToParent({ ready: { url: `http://127.0.0.1:${port}/graphql` } });
});
