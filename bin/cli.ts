/** Small helpers shared by the bin/ commands: flags, errors, and the development-only guard. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig, type PlatformConfig } from '../lib/config.ts';
import { roleProblems, type ProcessRole } from '../lib/process-roles.ts';

export function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<T extends Options>(options: T, usage: string) {
  try {
    return parseArgs<{ options: T; allowPositionals: true; strict: true }>({
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    fail(`${(error as Error).message}\nusage: ${usage}`);
  }
}

export function config(): PlatformConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

/** The configuration of a deployed process: every problem, its role's included, in one message. */
export function configFor(role: ProcessRole): PlatformConfig {
  const problems = roleProblems(role, process.env);
  try {
    const loaded = loadConfig();
    if (problems.length > 0) fail(new ConfigError(problems).message);
    return loaded;
  } catch (error) {
    if (error instanceof ConfigError)
      fail(new ConfigError([...error.problems, ...problems]).message);
    throw error;
  }
}

/** Development identity commands refuse to run in production (checked before anything else). */
export function developmentOnly(command: string): void {
  if (process.env.NODE_ENV === 'production') {
    fail(`${command} prints development credentials and refuses to run with NODE_ENV=production`);
  }
}

/** "30d", "12h", "90m", "3600s" or plain seconds. */
export function durationSeconds(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text);
  if (!match) fail(`cannot read the duration "${text}" (use e.g. 30d, 12h, 90m)`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
