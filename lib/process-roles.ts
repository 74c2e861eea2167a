/**
 * What each deployed process needs beyond the platform configuration. A gateway running alone
 * calls every department at the URL it is given: there is no default, because a guessed
 * 127.0.0.1:4001 would send access contexts to whatever listens there and /readyz would report a
 * department that is not the one meant. In production the gateway signs with its own key and a
 * department verifies with the gateway's public keys, each named for its role.
 */
import { SUBGRAPHS } from '../schema/catalogue.ts';
import { envVarPrefix } from './config.ts';

export type ProcessRole = { kind: 'gateway' } | { kind: 'department'; name: string };

type Env = Record<string, string | undefined>;

/** SUBGRAPH_<NAME>_URL of every department, in catalogue order. */
export function departmentUrlVariables(): string[] {
  return SUBGRAPHS.map((subgraph) => `${envVarPrefix(subgraph.name)}_URL`);
}

/**
 * A department knows the gateway by its signed access context, not a password; one in the URL
 * would be printed in the start banner and the readiness probe (fetch) refuses such URLs.
 */
function carriesCredentials(value: string): boolean {
  try {
    const url = new URL(value.trim());
    return url.username !== '' || url.password !== '';
  } catch {
    return false; // malformed: lib/config.ts names it
  }
}

/** Every problem with `env` for `role`, one line each naming the variable (empty when none). */
export function roleProblems(role: ProcessRole, env: Env): string[] {
  const given = (name: string) => Boolean(env[name]?.trim());
  const production = env.NODE_ENV?.trim() === 'production';
  const problems: string[] = [];
  if (role.kind === 'gateway') {
    for (const name of departmentUrlVariables()) {
      if (!given(name))
        problems.push(`${name} is required: the gateway alone calls every department at its URL`);
      else if (carriesCredentials(env[name]!))
        problems.push(`${name} must not carry a user name or password`);
    }
    if (production && !given('GATEWAY_SIGNING_KEY'))
      problems.push('GATEWAY_SIGNING_KEY is required for the gateway in production');
  } else if (production && !given('GATEWAY_JWKS')) {
    problems.push(
      `GATEWAY_JWKS is required for the ${role.name} department in production (it verifies the gateway's access contexts)`,
    );
  }
  return problems;
}
