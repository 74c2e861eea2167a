/**
 * Production-hardening settings: operation limits, trusted documents, rate limits, the circuit
 * breaker, readiness, shutdown and logging. Read by lib/config.ts with the same reader, so that
 * their problems are reported together with every other configuration problem.
 */
import path from 'node:path';

/** What lib/config.ts's reader offers (kept structural so that the two files import one way). */
export interface EnvReader {
  readonly problems: string[];
  string(name: string): string | undefined;
  integer(name: string, fallback: number, min: number, max: number): number;
  boolean(name: string, fallback: boolean): boolean;
  list(name: string, fallback: string[], allowed?: readonly string[]): string[];
}

export interface OperationLimitsConfig {
  /** Deepest field nesting (the root fields are depth 1). */
  maxDepth: number;
  /** Aliased fields per operation, fragments expanded. */
  maxAliases: number;
  /** Fields selected at the root of an operation. */
  maxRootFields: number;
  /** Lexical tokens in the document (counted before it is parsed). */
  maxTokens: number;
  /** Estimated cost (see gateway/limits/operation-cost.ts). */
  maxCost: number;
  /** Items assumed for a list field without a size argument. */
  assumedListSize: number;
  /** Largest HTTP request body (413 beyond). */
  maxBodyBytes: number;
}

export interface RateLimitConfig {
  windowSeconds: number;
  /** Requests per window per department; 0 turns the limit off. */
  perDepartment: number;
  /** Requests per window per client system (token `sub`); 0 turns the limit off. */
  perClient: number;
}

export type ReadinessCheck = 'subgraphs' | 'store';
export const READINESS_CHECKS: readonly ReadinessCheck[] = ['subgraphs', 'store'];

export interface OperationsConfig {
  limits: OperationLimitsConfig;
  /** Schema introspection (and the explorer in production). */
  introspection: boolean;
  trustedDocuments: {
    /** Persisted-operation manifest (Apollo's format); unset: no registered operations. */
    manifestPath: string | undefined;
    /** Clients held to registered operations: `sub`, `dept:<department>` or `*`. */
    enforce: string[];
  };
  rateLimit: RateLimitConfig;
  circuitBreaker: { failureThreshold: number; cooldownMs: number };
  /** The shared store's (Redis's) breaker: a hung store fails closed fast instead of slowly. */
  storeCircuitBreaker: { failureThreshold: number; cooldownMs: number };
  /** How long a shutdown waits for in-flight requests before closing anyway. */
  shutdownDrainMs: number;
  /**
   * How long an access-log group may wait for the requests still running to hand in their
   * records (0: no wait); a lone request never waits. docs/sharing-and-audit.md.
   */
  auditCommitDelayMs: number;
  /** Checks besides the supergraph whose failure makes /readyz answer 503. */
  readinessRequires: ReadinessCheck[];
  logLevel: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function readOperationsConfig(read: EnvReader, env: string, cwd: string): OperationsConfig {
  const production = env === 'production';
  const manifest = read.string('TRUSTED_DOCUMENTS');
  const enforce = read.list('TRUSTED_DOCUMENTS_ENFORCE', []);
  if (enforce.length > 0 && !manifest) {
    read.problems.push('TRUSTED_DOCUMENTS_ENFORCE needs TRUSTED_DOCUMENTS (the manifest file)');
  }
  const readiness = read.list(
    'READYZ_REQUIRE',
    [...READINESS_CHECKS],
    [...READINESS_CHECKS, 'none'],
  );
  // Test runs keep their output for test results; a test that reads logs passes its own logger.
  const logLevel = read.string('LOG_LEVEL') ?? (env === 'test' ? 'silent' : 'info');
  if (!LOG_LEVELS.includes(logLevel)) {
    read.problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  }
  return {
    limits: {
      maxDepth: read.integer('MAX_QUERY_DEPTH', 10, 1, 100),
      maxAliases: read.integer('MAX_QUERY_ALIASES', 30, 0, 10_000),
      maxRootFields: read.integer('MAX_ROOT_FIELDS', 10, 1, 1000),
      maxTokens: read.integer('MAX_QUERY_TOKENS', 2000, 100, 1_000_000),
      maxCost: read.integer('MAX_QUERY_COST', 5000, 1, 10_000_000),
      assumedListSize: read.integer('ASSUMED_LIST_SIZE', 10, 1, 10_000),
      maxBodyBytes: read.integer('MAX_BODY_BYTES', 256 * 1024, 1024, 64 * 1024 * 1024),
    },
    introspection: read.boolean('INTROSPECTION', !production),
    trustedDocuments: {
      manifestPath: manifest ? path.resolve(cwd, manifest) : undefined,
      enforce,
    },
    rateLimit: {
      windowSeconds: read.integer('RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86_400),
      perDepartment: read.integer('RATE_LIMIT_PER_DEPARTMENT', 30_000, 0, 100_000_000),
      perClient: read.integer('RATE_LIMIT_PER_CLIENT', 6000, 0, 100_000_000),
    },
    circuitBreaker: {
      failureThreshold: read.integer('CIRCUIT_BREAKER_FAILURES', 5, 1, 1000),
      cooldownMs: read.integer('CIRCUIT_BREAKER_COOLDOWN_MS', 10_000, 100, 600_000),
    },
    storeCircuitBreaker: {
      failureThreshold: read.integer('STORE_CIRCUIT_BREAKER_FAILURES', 3, 1, 1000),
      cooldownMs: read.integer('STORE_CIRCUIT_BREAKER_COOLDOWN_MS', 1000, 100, 600_000),
    },
    shutdownDrainMs: read.integer('SHUTDOWN_DRAIN_MS', 10_000, 0, 600_000),
    auditCommitDelayMs: read.integer('AUDIT_COMMIT_DELAY_MS', 8, 0, 100),
    readinessRequires: readiness.filter((c): c is ReadinessCheck =>
      READINESS_CHECKS.includes(c as ReadinessCheck),
    ),
    logLevel,
  };
}

/** The settings an empty environment gives (for callers that start a gateway directly). */
export function defaultOperationsConfig(env = 'development'): OperationsConfig {
  const empty: EnvReader = {
    problems: [],
    string: () => undefined,
    integer: (_name, fallback) => fallback,
    boolean: (_name, fallback) => fallback,
    list: (_name, fallback) => fallback,
  };
  return readOperationsConfig(empty, env, process.cwd());
}
