/**
 * The configuration tables operators read (the README's, docs/operations.md's) give the defaults
 * the code uses: every whole-number setting is documented, and with the number the code falls
 * back to. (The README once said 4 for AUDIT_COMMIT_DELAY_MS while the code used 8.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Reader, loadConfig } from '../../lib/config.ts';

/** `| \`A\`, \`B\` | 1, 2 | … |` rows: each named variable with its default cell's item. */
function documentedDefaults(file: string): Map<string, string> {
  const documented = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 4 || !cells[1]!.startsWith('`')) continue;
    const names = [...cells[1]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!);
    const values = cells[2]!.split(', ');
    names.forEach((name, i) =>
      documented.set(name, names.length === values.length ? values[i]! : cells[2]!),
    );
  }
  return documented;
}

/** A documented default as a number: "8", "10000", "256 KiB"; undefined for prose. */
function asNumber(text: string): number | undefined {
  const match = /^`?(\d+)`?(?: (KiB|MiB))?$/.exec(text.trim());
  if (!match) return undefined;
  const unit = match[2] === 'KiB' ? 1024 : match[2] === 'MiB' ? 1024 * 1024 : 1;
  return Number(match[1]) * unit;
}

describe('documented configuration defaults', () => {
  const reader = new Reader({});
  loadConfig({}, process.cwd(), reader);
  const readme = documentedDefaults('README.md');
  const operations = documentedDefaults('docs/operations.md');
  // Per-department ports are documented once, as a range (`SUBGRAPH_<NAME>_PORT`, 4001-4006).
  const settings = [...reader.integerDefaults].filter(([name]) => !/^SUBGRAPH_.*_PORT$/.test(name));

  it('reads the settings it is expected to', () => {
    expect(settings.length).toBeGreaterThan(15);
    expect(reader.integerDefaults.get('AUDIT_COMMIT_DELAY_MS')).toBeDefined();
  });

  it.each(settings)('%s is documented with its default, %d', (name, fallback) => {
    const cells = [readme.get(name), operations.get(name)].filter((c) => c !== undefined);
    expect(cells.length, `${name} is in neither table`).toBeGreaterThan(0);
    for (const cell of cells) {
      const value = asNumber(cell);
      if (value !== undefined) expect(value, `${name}: documented "${cell}"`).toBe(fallback);
    }
  });
});
