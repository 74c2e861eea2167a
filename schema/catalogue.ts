/**
 * The sharing catalogue: the one reviewed file (catalogue.json) that says which departments
 * publish which subgraphs and, field by field, who may see what for which purpose.
 * It is read and validated once; every problem names the entry at fault.
 */
import { readFileSync } from 'node:fs';

export interface SubgraphEntry {
  /** Folder under subgraphs/ and SDL file name under schema/. */
  name: string;
  /** Department code of the publisher. */
  department: string;
  /** Default listen port. */
  port: number;
  title: string;
}

export interface Catalogue {
  version: number;
  subgraphs: SubgraphEntry[];
}

export class CatalogueError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid sharing catalogue:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CatalogueError';
  }
}

const NAME = /^[a-z][a-z0-9-]*$/;

export function parseCatalogue(raw: unknown): Catalogue {
  const problems: string[] = [];
  const doc = (raw ?? {}) as Partial<Catalogue>;
  if (doc.version !== 1) problems.push('version must be 1');
  const subgraphs = Array.isArray(doc.subgraphs) ? doc.subgraphs : [];
  if (subgraphs.length === 0) problems.push('subgraphs must list at least one subgraph');
  const names = new Set<string>();
  const ports = new Set<number>();
  subgraphs.forEach((entry, i) => {
    const at = `subgraphs[${i}]${entry?.name ? ` (${entry.name})` : ''}`;
    if (typeof entry?.name !== 'string' || !NAME.test(entry.name)) {
      problems.push(`${at}: name must be lower-case letters, digits and dashes`);
    } else if (names.has(entry.name)) problems.push(`${at}: name is listed twice`);
    else names.add(entry.name);
    if (typeof entry?.department !== 'string' || !NAME.test(entry.department)) {
      problems.push(`${at}: department must be a department code`);
    }
    if (!Number.isInteger(entry?.port) || entry.port < 1 || entry.port > 65535) {
      problems.push(`${at}: port must be a TCP port`);
    } else if (ports.has(entry.port)) problems.push(`${at}: port ${entry.port} is used twice`);
    else ports.add(entry.port);
    if (typeof entry?.title !== 'string') problems.push(`${at}: title is required`);
  });
  if (problems.length > 0) throw new CatalogueError(problems);
  return doc as Catalogue;
}

export const CATALOGUE_PATH = new URL('./catalogue.json', import.meta.url);

export function loadCatalogue(file: URL | string = CATALOGUE_PATH): Catalogue {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CatalogueError([`cannot read ${String(file)}: ${(error as Error).message}`]);
  }
  return parseCatalogue(raw);
}

export const CATALOGUE: Catalogue = loadCatalogue();
export const SUBGRAPHS: readonly SubgraphEntry[] = CATALOGUE.subgraphs;
