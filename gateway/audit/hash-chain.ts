/**
 * The access log's hash chain: each record's hash covers the previous hash, its sequence number
 * and the record exactly as stored (its JSON text), so changing, removing or reordering any
 * record breaks every hash after it. Hashing the stored text needs no canonical re-encoding,
 * neither when writing nor when verifying.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export function chainHash(previous: string, seq: number, recordText: string): string {
  return createHash('sha256').update(`${previous}\n${seq}\n${recordText}`).digest('hex');
}
