/**
 * The packages a process can load, found by walking the project's files from an entry point:
 * static and dynamic imports, `require`/`require.resolve`, the explorer's `moduleAsset('pkg', …)`
 * and worker files named by `new URL('./…', import.meta.url)`. Type-only imports are left out:
 * they are erased before anything runs. Files named by a path computed at run time are not seen.
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const SPECIFIER =
  /(?:^|[^\w.])(?:from|import\s*\(|require(?:\.resolve)?\s*\(|moduleAsset\s*\(|new URL\s*\()\s*['"]([^'"]+)['"]/g;
const PACKAGE = /^(?:@[\w.-]+\/)?[\w.-]+(?:\/[\w./-]*)?$/;
const TYPE_ONLY = /^\s*(?:import|export)\s+type\s[^;]*;/gm;

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

export interface RuntimeFiles {
  /** Packages (not built into Node) the files load. */
  packages: Set<string>;
  /** The project's files reachable from the entries, data files (JSON, SDL) included. */
  files: Set<string>;
}

export function runtimeFiles(entries: string[]): RuntimeFiles {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8').replace(TYPE_ONLY, '');
    for (const [, specifier] of source.matchAll(SPECIFIER)) {
      if (specifier!.startsWith('./') || specifier!.startsWith('../')) {
        const target = path.resolve(path.dirname(file), specifier!);
        if (!existsSync(target)) continue;
        if (/\.(ts|mjs|js)$/.test(target)) queue.push(target);
        else seen.add(target);
      } else if (PACKAGE.test(specifier!) && !builtinModules.includes(packageName(specifier!))) {
        packages.add(packageName(specifier!));
      }
    }
  }
  return { packages, files: seen };
}
