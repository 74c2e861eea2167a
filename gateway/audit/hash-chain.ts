/**
 * The access log's hash chain: each record's hash covers the previous hash and the record's
 * canonical JSON, so changing, removing or reordering any record breaks every hash after it.
 */
import { createHash } from 'node:crypto';
import type { AccessRecord } from './access-record.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with keys sorted at every level: the same record always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function chainHash(previous: string, seq: number, record: AccessRecord): string {
  return createHash('sha256')
    .update(`${previous}\n${seq}\n${canonicalJson(record)}`)
    .digest('hex');
}
