/**
 * How the platform ships: one image (Dockerfile) whose command selects the role, and compose.yaml
 * running PostgreSQL, Redis, the six departments and two gateway replicas. No container engine
 * runs here, so the files are held to what the processes need: each service's environment passes
 * the same checks the process makes at start (lib/config.ts, lib/process-roles.ts), URLs name the
 * services that serve them, keys come from mounted secrets, and the image holds every package the
 * processes load. topology.test.ts runs the image's command lines for real.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { envVarPrefix, loadConfig } from '../../lib/config.ts';
import { departmentUrlVariables, roleProblems, type ProcessRole } from '../../lib/process-roles.ts';
import { SUBGRAPHS } from '../../schema/catalogue.ts';
import { platformServices, readCompose, type ComposeService } from './compose-file.ts';
import { PROJECT_ROOT, imageEntrypoint, runRole } from './image-entrypoint.ts';
import { runtimeFiles } from './runtime-imports.ts';

const compose = readCompose();
const { gateways, departments } = platformServices(compose);
const dockerfile = readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8');

function roleOf(service: ComposeService): ProcessRole {
  return service.command[0] === 'gateway'
    ? { kind: 'gateway' }
    : { kind: 'department', name: service.command[1]! };
}

describe('compose.yaml', () => {
  it('runs PostgreSQL, Redis, each department once and two gateway replicas, from one image', () => {
    const names = compose.services.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['postgres', 'redis']));
    expect(departments.map((s) => s.command[1]).sort()).toEqual(
      SUBGRAPHS.map((s) => s.name).sort(),
    );
    for (const service of departments) expect(service.command).toHaveLength(2);
    expect(gateways.length).toBeGreaterThanOrEqual(2);
    const images = new Set([...gateways, ...departments].map((s) => s.image));
    expect(images.size).toBe(1);
  });

  it('gives every service the variables its role requires, as the process checks them', () => {
    for (const service of [...gateways, ...departments]) {
      const env = service.environment;
      // The configuration the process loads at start: production, so every identity source.
      expect(env.NODE_ENV, service.name).toBe('production');
      expect(() => loadConfig(env), service.name).not.toThrow();
      expect(roleProblems(roleOf(service), env), service.name).toEqual([]);
      // Listening on every interface: other containers reach it by its service name.
      expect(env.HOST, service.name).toBe('0.0.0.0');
      expect(env.DATABASE_URL, service.name).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
    }
    for (const gateway of gateways) {
      // Replicas share revocations and rate limits (Redis) and one access log (PostgreSQL).
      expect(gateway.environment.REDIS_URL, gateway.name).toBe('redis://redis:6379');
    }
  });

  it("points every gateway at each department's service and the port it listens on", () => {
    for (const gateway of gateways) {
      for (const variable of departmentUrlVariables()) {
        const url = new URL(gateway.environment[variable]!);
        const department = departments.find((d) => d.name === url.hostname);
        expect(department, `${gateway.name} ${variable}`).toBeDefined();
        expect(`${envVarPrefix(department!.command[1]!)}_URL`).toBe(variable);
        const listens = loadConfig(department!.environment).subgraphPorts[department!.command[1]!];
        expect(Number(url.port), `${gateway.name} ${variable}`).toBe(listens);
        expect(url.pathname).toBe('/graphql');
      }
    }
  });

  it('reads keys from secrets the service mounts and the file declares', () => {
    for (const service of [...gateways, ...departments]) {
      for (const variable of ['GATEWAY_SIGNING_KEY', 'GATEWAY_JWKS']) {
        const value = service.environment[variable];
        if (!value) continue;
        const secret = /^\/run\/secrets\/([\w-]+)$/.exec(value)?.[1];
        expect(secret, `${service.name} ${variable}`).toBeDefined();
        expect(service.secrets).toContain(secret);
        expect(compose.secrets[secret!]?.file).toBeTruthy();
      }
    }
    // The gateway's private key is mounted where it signs, and nowhere else.
    for (const department of departments)
      expect(department.environment.GATEWAY_SIGNING_KEY).toBeUndefined();
  });

  it('starts the stores first, then the departments, then the gateways', () => {
    for (const department of departments) expect(department.dependsOn).toContain('postgres');
    for (const gateway of gateways)
      expect(gateway.dependsOn.sort()).toEqual(['redis', ...departments.map((d) => d.name)].sort());
  });

  it('asks the operator for the passwords and identity sources instead of shipping them', () => {
    expect(compose.required).toEqual(
      expect.arrayContaining([
        'POSTGRES_PASSWORD',
        'IDP_JWKS',
        'IDP_ISSUER',
        'CONSENT_JWKS',
        'CONSENT_ISSUER',
      ]),
    );
  });
});

describe('Dockerfile', () => {
  const runtime = runtimeFiles(
    ['bin/serve.sh', 'bin/gateway.ts', 'bin/subgraph.ts'].map((f) => path.join(PROJECT_ROOT, f)),
  );
  const packageJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));

  it('builds in stages, installs production dependencies only, and runs as a non-root user', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev/m);
    const user = /^USER (\S+)/m.exec(dockerfile)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(dockerfile.indexOf('USER ')).toBeLessThan(dockerfile.indexOf('ENTRYPOINT'));
    expect(imageEntrypoint()).toEqual(['bin/serve.sh']);
  });

  it('copies every file the gateway and a department load, code and data', () => {
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \.\/\S*$/gm)].flatMap((m) =>
      m[1]!.split(/\s+/),
    );
    const outside = [...runtime.files]
      .map((file) => path.relative(PROJECT_ROOT, file))
      .filter((file) => !copied.includes(file) && !copied.includes(file.split(path.sep)[0]!));
    expect(outside).toEqual([]);
    expect(runtime.files.size).toBeGreaterThan(50);
  });

  it('holds every package the gateway and a department load (npm ci --omit=dev)', () => {
    const loaded = [...runtime.packages, 'tsx'];
    const missing = loaded.filter((name) => !(name in packageJson.dependencies));
    expect(missing).toEqual([]);
  });

  it('keeps the secrets compose mounts, and the data folder, out of the image and the repository', () => {
    const ignored = (file: string) =>
      readFileSync(path.join(PROJECT_ROOT, file), 'utf8')
        .split('\n')
        .map((line) => line.trim().replace(/\/$/, ''));
    for (const { file } of Object.values(compose.secrets)) {
      const folder = path.normalize(file).split(path.sep)[0]!;
      expect(ignored('.dockerignore')).toContain(folder);
      expect(ignored('.gitignore')).toContain(folder);
    }
    expect(ignored('.dockerignore')).toContain('.data');
  });

  it('refuses a command that names no role, saying which there are', async () => {
    for (const command of [[], ['start'], ['subgraph']]) {
      const { code, output } = await runRole(command, {});
      expect(code, command.join(' ')).toBe(2);
      expect(output).toMatch(/usage: (gateway \| subgraph <name>|npm run subgraph -- <name>)/);
    }
  });
});
