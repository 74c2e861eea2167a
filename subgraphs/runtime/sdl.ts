/** Reads a department's SDL file from schema/ (the contract lives there, not in code). */
import { readFileSync } from 'node:fs';
import { parse, type DocumentNode } from 'graphql';

export const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

export function sdlText(name: string): string {
  return readFileSync(new URL(`${name}.graphql`, SCHEMA_DIR), 'utf8');
}

export function loadSdl(name: string): DocumentNode {
  return parse(sdlText(name));
}
