/**
 * compose.yaml as the tests read it: its services with their command and environment, after the
 * merge keys and `${VAR…}` interpolation compose applies (required variables get a stand-in).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from './image-entrypoint.ts';

export interface ComposeService {
  name: string;
  image?: string;
  command: string[];
  environment: Record<string, string>;
  secrets: string[];
  dependsOn: string[];
}

export interface ComposeFile {
  services: ComposeService[];
  secrets: Record<string, { file: string }>;
  /** Variables the file requires from the operator (`${NAME:?…}`). */
  required: string[];
}

/** `${NAME}`, `${NAME:-default}`, `${NAME:?message}` as compose reads them. */
const VARIABLE = /\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g;

function interpolate(value: string, required: Set<string>): string {
  return value.replace(VARIABLE, (_all, name: string, kind?: string, rest?: string) => {
    if (kind === '-') return rest ?? '';
    if (kind === '?') required.add(name);
    return `stand-in-${name.toLowerCase()}`;
  });
}

export function readCompose(): ComposeFile {
  const text = readFileSync(path.join(PROJECT_ROOT, 'compose.yaml'), 'utf8');
  const raw = parse(text, { merge: true }) as {
    services: Record<string, Record<string, unknown>>;
    secrets?: Record<string, { file: string }>;
  };
  const required = new Set<string>();
  const services = Object.entries(raw.services).map(([name, service]): ComposeService => {
    const environment = Object.fromEntries(
      Object.entries((service.environment ?? {}) as Record<string, unknown>).map(([key, value]) => [
        key,
        interpolate(String(value), required),
      ]),
    );
    const dependsOn = service.depends_on ?? [];
    return {
      name,
      ...(typeof service.image === 'string' ? { image: service.image } : {}),
      command: ((service.command ?? []) as unknown[]).map(String),
      environment,
      secrets: (service.secrets ?? []) as string[],
      dependsOn: Array.isArray(dependsOn) ? dependsOn : Object.keys(dependsOn),
    };
  });
  return { services, secrets: raw.secrets ?? {}, required: [...required].sort() };
}

/** The services that run the platform's image, by role. */
export function platformServices(compose: ComposeFile) {
  return {
    gateways: compose.services.filter((s) => s.command[0] === 'gateway'),
    departments: compose.services.filter((s) => s.command[0] === 'subgraph'),
  };
}
