/**
 * Platform configuration, read from environment variables and validated once at start.
 * Every problem is collected and reported together, naming the variable, so that an operator
 * fixes a deployment in one pass instead of one restart per mistake.
 */
import path from 'node:path';
import { SUBGRAPHS } from '../schema/catalogue.ts';
import { readOperationsConfig, type OperationsConfig } from './operations-config.ts';
import { readTlsMaterial, type TlsMaterial } from './tls-config.ts';

export type RuntimeEnv = 'development' | 'production' | 'test';

export interface PlatformConfig {
  env: RuntimeEnv;
  /** Where the embedded databases and development keys live. */
  dataDir: string;
  /** PostgreSQL connection string; when unset each department uses an embedded SQLite file. */
  databaseUrl: string | undefined;
  /** Redis connection string for shared state; when unset shared state is in memory. */
  redisUrl: string | undefined;
  /** Interface to bind (gateway and subgraphs). */
  host: string;
  gatewayPort: number;
  /** Per-subgraph listen port (for subgraphs this process runs). */
  subgraphPorts: Record<string, number>;
  /** Per-subgraph URL the gateway calls. */
  subgraphUrls: Record<string, string>;
  /** How long the gateway waits for one subgraph call. */
  subgraphTimeoutMs: number;
  /** Departments serve HTTPS and require gateway client certificates (SUBGRAPH_TLS_*). */
  subgraphTls: TlsMaterial | undefined;
  /** The gateway's client certificate and the CA of the departments' (GATEWAY_TLS_*). */
  gatewayTls: TlsMaterial | undefined;
  /** Seed of the synthetic-data generator and the number of households it makes. */
  seed: number;
  seedHouseholds: number;
  identity: IdentityConfig;
  /** Limits, rate limits, failure isolation, health, shutdown and logging. */
  operations: OperationsConfig;
}

/** Key sources; unset ones fall back to development keys (refused in production). */
export interface IdentityConfig {
  /** JWKS (file or URL) of the department identity provider. */
  idpJwks: string | undefined;
  idpIssuer: string | undefined;
  /** Audience department tokens must name. */
  audience: string | undefined;
  /** JWKS (file or URL) of the consent authority. */
  consentJwks: string | undefined;
  consentIssuer: string | undefined;
  /** Private JWK file the gateway signs access contexts with. */
  gatewaySigningKey: string | undefined;
  /** JWKS (file or URL) subgraphs verify access contexts with. */
  gatewayJwks: string | undefined;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

export class Reader {
  readonly problems: string[] = [];
  /** Each whole-number setting read and its default (a test holds the docs' tables to them). */
  readonly integerDefaults = new Map<string, number>();
  constructor(private readonly env: Env) {}

  string(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    this.integerDefaults.set(name, fallback);
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.string(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(raw)) return true;
    if (['false', '0', 'no', 'off'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  }

  /** A comma-separated list; each item must be one of `allowed` when it is given. */
  list(name: string, fallback: string[], allowed?: readonly string[]): string[] {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const items = raw
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    const unknown = allowed ? items.filter((item) => !allowed.includes(item)) : [];
    if (unknown.length > 0) {
      this.problems.push(`${name} may list ${allowed!.join(', ')} (got "${unknown.join(', ')}")`);
      return fallback;
    }
    return items;
  }

  url(name: string, protocols: string[]): string | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) throw new Error('protocol');
      return raw;
    } catch {
      // Never echo the value: connection strings carry passwords.
      this.problems.push(`${name} must be a URL starting with ${protocols.join(' or ')}`);
      return undefined;
    }
  }
}

/**
 * Production's explicit opt-out of REDIS_URL, for a site that runs a single gateway replica: its
 * in-memory store is rebuilt from the database at start, but no other replica would see it.
 */
export const MEMORY_STORE_OPT_OUT = 'ALLOW_MEMORY_STORE';

export function envVarPrefix(subgraph: string): string {
  return `SUBGRAPH_${subgraph.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export function loadConfig(
  env: Env = process.env,
  cwd = process.cwd(),
  read = new Reader(env),
): PlatformConfig {
  const nodeEnv = read.string('NODE_ENV') ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    read.problems.push(`NODE_ENV must be development, production or test (got "${nodeEnv}")`);
  }
  const host = read.string('HOST') ?? '127.0.0.1';
  const gatewayPort = read.integer('PORT', 4000, 0, 65535);
  const subgraphTls = readTlsMaterial(read, 'SUBGRAPH_TLS', cwd);
  const gatewayTls = readTlsMaterial(read, 'GATEWAY_TLS', cwd);
  const scheme = subgraphTls || gatewayTls ? 'https' : 'http';
  // With a client certificate configured, a plain-HTTP department would get calls without it.
  const protocols = gatewayTls ? ['https:'] : ['http:', 'https:'];
  const subgraphPorts: Record<string, number> = {};
  const subgraphUrls: Record<string, string> = {};
  for (const subgraph of SUBGRAPHS) {
    const prefix = envVarPrefix(subgraph.name);
    const port = read.integer(`${prefix}_PORT`, subgraph.port, 0, 65535);
    subgraphPorts[subgraph.name] = port;
    const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    subgraphUrls[subgraph.name] =
      read.url(`${prefix}_URL`, protocols) ?? `${scheme}://${urlHost}:${port}/graphql`;
  }
  const config: PlatformConfig = {
    env: nodeEnv as RuntimeEnv,
    dataDir: path.resolve(cwd, read.string('DATA_DIR') ?? '.data'),
    databaseUrl: read.url('DATABASE_URL', ['postgres:', 'postgresql:']),
    redisUrl: read.url('REDIS_URL', ['redis:', 'rediss:']),
    host,
    gatewayPort,
    subgraphPorts,
    subgraphUrls,
    subgraphTimeoutMs: read.integer('SUBGRAPH_TIMEOUT_MS', 5000, 50, 120_000),
    subgraphTls,
    gatewayTls,
    seed: read.integer('SEED', 20260101, 0, 2 ** 31 - 1),
    seedHouseholds: read.integer('SEED_HOUSEHOLDS', 20_000, 1, 5_000_000),
    identity: {
      idpJwks: read.string('IDP_JWKS'),
      idpIssuer: read.string('IDP_ISSUER'),
      audience: read.string('IDP_AUDIENCE'),
      consentJwks: read.string('CONSENT_JWKS'),
      consentIssuer: read.string('CONSENT_ISSUER'),
      gatewaySigningKey: read.string('GATEWAY_SIGNING_KEY'),
      gatewayJwks: read.string('GATEWAY_JWKS'),
    },
    operations: readOperationsConfig(read, nodeEnv, cwd),
  };
  if (config.env === 'production') {
    const id = config.identity;
    const required: [string, string | undefined][] = [
      ['IDP_JWKS', id.idpJwks],
      ['IDP_ISSUER', id.idpIssuer],
      ['IDP_AUDIENCE', id.audience],
      ['CONSENT_JWKS', id.consentJwks],
      ['CONSENT_ISSUER', id.consentIssuer],
    ];
    for (const [name, value] of required) {
      if (!value)
        read.problems.push(`${name} is required in production (development keys are refused)`);
    }
    const memoryStore = read.string(MEMORY_STORE_OPT_OUT);
    if (memoryStore !== undefined && memoryStore !== 'single-replica') {
      read.problems.push(`${MEMORY_STORE_OPT_OUT} may only be "single-replica"`);
    } else if (!config.redisUrl && memoryStore === undefined) {
      read.problems.push(
        `REDIS_URL is required in production (replicas share revocations, rate limits and the access-context replay cache through it; ${MEMORY_STORE_OPT_OUT}=single-replica runs one replica on the in-memory store)`,
      );
    }
    if (!id.gatewaySigningKey && !id.gatewayJwks) {
      read.problems.push(
        'GATEWAY_SIGNING_KEY (gateway) or GATEWAY_JWKS (subgraph) is required in production',
      );
    }
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}
