/**
 * The production topology as separate processes, started by the image's command lines (the
 * Dockerfile's ENTRYPOINT with each compose service's command): the six departments, each its own
 * process on its own schema of a fresh PostgreSQL database, and two gateway replicas calling them
 * over HTTP and sharing the real Redis and one access log. The cross-department household query
 * answers through both, and a consent revoked through one is refused by the other.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../lib/db.ts';
import { envVarPrefix } from '../../lib/config.ts';
import { ensureDevKeys } from '../../lib/identity/dev-keys.ts';
import { HOUSEHOLD_QUERY } from '../../gateway/sample-query.ts';
import { sampleHouseholds, type SampleHousehold } from '../../subgraphs/household/sample.ts';
import type { HouseholdDB } from '../../subgraphs/household/tables.ts';
import { consentFor, headersFor } from '../helpers/callers.ts';
import { TEST_HOUSEHOLDS, TEST_SEED, gql, testStorage } from '../helpers/platform.ts';
import { postgresUrl, redisUrl } from '../helpers/services.ts';
import { platformServices, readCompose } from './compose-file.ts';
import { startRole, stopRole, type RoleProcess } from './image-entrypoint.ts';

/** The server's URL with another database name. */
function databaseUrl(server: string, database: string): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl! });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

describe.skipIf(!postgresUrl || !redisUrl)('the platform as separate processes', () => {
  const storage = testStorage();
  const database = `topology_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const compose = readCompose();
  const { gateways: gatewayServices, departments: departmentServices } = platformServices(compose);
  const processes: RoleProcess<string>[] = [];
  let gatewayUrls: string[] = [];
  let sample: SampleHousehold;

  beforeAll(async () => {
    await admin((client) => client.query(`CREATE DATABASE "${database}"`));
    // Every process reads the development keys from the shared data folder, as the gateway's
    // public key reaches departments from a shared secret in a deployment; made up front, as a
    // deployment's keys exist before its processes.
    await ensureDevKeys(storage.dataDir);
    const common = {
      NODE_ENV: 'development',
      DATA_DIR: storage.dataDir,
      DATABASE_URL: databaseUrl(postgresUrl!, database),
      SEED: String(TEST_SEED),
      SEED_HOUSEHOLDS: String(TEST_HOUSEHOLDS),
      LOG_LEVEL: 'warn',
    };
    const departments = await Promise.all(
      departmentServices.map((service) =>
        startRole(
          service.command,
          { ...common, [`${envVarPrefix(service.command[1]!)}_PORT`]: '0' },
          (out) => new RegExp(`${service.command[1]} ready: (\\S+)`).exec(out)?.[1],
        ),
      ),
    );
    processes.push(...departments);
    const urls = Object.fromEntries(
      departmentServices.map((s, i) => [
        `${envVarPrefix(s.command[1]!)}_URL`,
        departments[i]!.ready,
      ]),
    );
    const gateways = await Promise.all(
      gatewayServices.map((service) =>
        startRole(
          service.command,
          { ...common, ...urls, PORT: '0', REDIS_URL: redisUrl! },
          (out) => /Gateway ready: (\S+)/.exec(out)?.[1],
        ),
      ),
    );
    processes.push(...gateways);
    gatewayUrls = gateways.map((g) => g.ready);
    const registry = await openDatabase<HouseholdDB>({
      name: 'household',
      dataDir: storage.dataDir,
      databaseUrl: common.DATABASE_URL,
    });
    try {
      [sample] = (await sampleHouseholds(registry.db, 1)) as [SampleHousehold];
    } finally {
      await registry.close();
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => stopRole(p)));
    await admin((client) => client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
    await storage.cleanup();
  });

  it('runs the six departments and two gateways the compose file names', () => {
    expect(departmentServices.map((s) => s.command[1]).sort()).toEqual([
      'assistance',
      'disaster',
      'employment',
      'household',
      'housing',
      'medical',
    ]);
    expect(gatewayUrls).toHaveLength(2);
  });

  it('is ready on both gateways: every department answers at its URL', async () => {
    for (const url of gatewayUrls) {
      const response = await fetch(new URL('/readyz', url));
      expect(response.status).toBe(200);
      expect(Object.values((await response.json()).checks.subgraphs)).toEqual(
        Array(6).fill('reachable'),
      );
    }
  });

  it('answers the cross-department household query through each gateway, then a revocation through one is refused by the other', async () => {
    const consentId = `${database}-consent`;
    const consent = await consentFor(storage.dataDir, {
      id: consentId,
      household: sample.household,
      subjects: sample.members,
      grantees: ['civil-affairs'],
      purpose: 'tekun',
    });
    const caseworker = await headersFor(storage.dataDir, {
      dept: 'civil-affairs',
      purpose: 'tekun',
      consents: [consent],
    });
    for (const url of gatewayUrls) {
      const { status, body } = await gql(
        url,
        HOUSEHOLD_QUERY,
        { id: sample.household },
        caseworker,
      );
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.household.members.map((m: { id: string }) => m.id).sort()).toEqual(
        [...sample.members].sort(),
      );
      const [member] = body.data.household.members;
      expect(member.medicalInsurance).not.toBeNull(); // medical
      expect(Array.isArray(member.properties)).toBe(true); // housing
      expect(Array.isArray(body.data.household.determinations)).toBe(true); // assistance
      expect(Array.isArray(body.data.household.disasterDamage)).toBe(true); // disaster
      expect('employment' in member).toBe(true); // employment
    }
    const authority = await headersFor(storage.dataDir, { dept: 'consent-authority' });
    const revoked = await gql(
      gatewayUrls[0]!,
      'mutation($id: ID!) { revokeConsent(id: $id, reason: "withdrawn at the counter") { consentId } }',
      { id: consentId },
      authority,
    );
    expect(revoked.body.data.revokeConsent.consentId).toBe(consentId);
    const query = 'query($id: ID!) { household(id: $id) { members { birthDate } } }';
    const revokedAt = Date.now();
    let after = await gql(gatewayUrls[1]!, query, { id: sample.household }, caseworker);
    while (
      after.body.errors?.[0]?.extensions?.code !== 'CONSENT_REVOKED' &&
      Date.now() - revokedAt < 1000
    ) {
      after = await gql(gatewayUrls[1]!, query, { id: sample.household }, caseworker);
    }
    expect(after.body.errors[0].extensions.code).toBe('CONSENT_REVOKED');
    expect(after.body.data.household.members).toBeNull();
  });
});
