/**
 * Child process (a): our gateway, everything on: caller authentication, purpose and operator
 * checks, consent verification and revocation checks, the signed access context per department
 * call, field decisions in the departments, and the access record written (group commit) before
 * each response leaves. Started through startGateway and openAudit, as gateway/platform.ts starts
 * them, minus the explorer. With `audit: false` the same gateway runs without the access log, to
 * measure what the audit costs.
 */
import { loadConfig } from '../lib/config.ts';
import { defaultOperationsConfig } from '../lib/operations-config.ts';
import { gatewayIdentity } from '../lib/identity/resolve.ts';
import { createSharedStore } from '../lib/store/index.ts';
import { readSupergraph } from '../schema/compose.ts';
import { startGateway } from '../gateway/server.ts';
import { openAudit } from '../gateway/audit/index.ts';
import { childConfig, runChild, sendToParent, stopWhenAsked } from './child.ts';

export interface GatewayChildConfig {
  dataDir: string;
  subgraphUrls: Record<string, string>;
  /** Ours only: write the access log, in this database (PostgreSQL when set, else SQLite). */
  audit?: { databaseUrl?: string; databasePrefix: string; commitDelayMs?: number };
  /** The floor only: sign as a stock gateway would (see `floor-stock` in options.ts). */
  stockAccessContext?: boolean;
}

runChild(async () => {
  const options = childConfig<GatewayChildConfig>();
  const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: options.dataDir });
  const store = createSharedStore(undefined);
  const supergraphSdl = readSupergraph();
  // The per-client quota (6,000 a minute by default) is policy, not cost: the benchmark's one
  // client would hit it within seconds. Raised, and still counted on every request.
  const operations = defaultOperationsConfig('development');
  operations.rateLimit = { ...operations.rateLimit, perDepartment: 1e8, perClient: 1e8 };
  const audit = options.audit
    ? await openAudit({
        dataDir: options.dataDir,
        databaseUrl: options.audit.databaseUrl,
        databasePrefix: options.audit.databasePrefix,
        supergraphSdl,
        commitDelayMs: options.audit.commitDelayMs ?? operations.auditCommitDelayMs,
      })
    : undefined;
  const gateway = await startGateway({
    operations,
    supergraphSdl,
    subgraphUrls: options.subgraphUrls,
    subgraphTimeoutMs: config.subgraphTimeoutMs,
    host: '127.0.0.1',
    port: 0,
    explorer: false,
    introspection: false,
    identity: await gatewayIdentity(config),
    store,
    audit: audit?.writer ?? null,
    auditLog: audit?.log ?? null,
  });
  stopWhenAsked(async () => {
    await gateway.close();
    await audit?.close();
    await store.close();
  });
  sendToParent({ ready: { url: gateway.url } });
});
