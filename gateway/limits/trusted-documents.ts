/**
 * Trusted documents (persisted operations): a manifest of registered operations, identified by
 * the SHA-256 of their text, in Apollo's persisted-query manifest format
 * (`{ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [{ "id", "name",
 * "type", "body" }] }`). Any client may send a registered operation by id alone (Apollo's
 * `extensions.persistedQuery`); a client set to enforce may run registered operations only.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApolloServerPlugin } from '@apollo/server';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { Caller } from '../../schema/access.ts';
import { ErrorCode, PlatformError } from '../../schema/errors.ts';
import { ConfigError } from '../../lib/config.ts';
import { BoundedMap } from '../../lib/bounded-map.ts';
import type { GatewayContext } from '../context.ts';

export const MANIFEST_FORMAT = 'apollo-persisted-query-manifest';

/** Registered operation text by id (lowercase hex SHA-256 of the text). */
export type TrustedDocuments = ReadonlyMap<string, string>;

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** Reads and checks a manifest; every problem is reported at once, naming the entry. */
export function loadTrustedDocuments(file: string): TrustedDocuments {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError([`TRUSTED_DOCUMENTS: cannot read ${file}: ${(error as Error).message}`]);
  }
  const m = manifest as { format?: unknown; version?: unknown; operations?: unknown };
  const problems: string[] = [];
  if (m?.format !== MANIFEST_FORMAT || m.version !== 1) {
    problems.push(`TRUSTED_DOCUMENTS: ${file} is not a "${MANIFEST_FORMAT}" version 1`);
  }
  const documents = new Map<string, string>();
  const operations = Array.isArray(m?.operations) ? m.operations : [];
  if (!Array.isArray(m?.operations))
    problems.push(`TRUSTED_DOCUMENTS: "operations" must be a list`);
  for (const [index, entry] of operations.entries()) {
    const op = entry as { id?: unknown; body?: unknown; name?: unknown };
    const where = `TRUSTED_DOCUMENTS: operations[${index}]${typeof op?.name === 'string' ? ` (${op.name})` : ''}`;
    if (typeof op?.body !== 'string' || typeof op.id !== 'string') {
      problems.push(`${where} needs a string "id" and "body"`);
    } else if (op.id !== sha256Hex(op.body)) {
      problems.push(`${where}: "id" is not the SHA-256 of "body"`);
    } else documents.set(op.id, op.body);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return documents;
}

/**
 * Apollo's persisted-query cache backed by the manifest: registered operations are always found
 * by id; other documents a client registers (automatic persisted queries) are kept in a small
 * bounded map, which never makes them "trusted".
 */
export class TrustedDocumentCache implements KeyValueCache<string> {
  private readonly registered: BoundedMap<string, string>;

  constructor(
    private readonly trusted: TrustedDocuments,
    maxRegistered = 1000,
  ) {
    this.registered = new BoundedMap(maxRegistered);
  }

  /** Apollo prefixes keys ("apq:"); the id is what follows the last colon. */
  private static id(key: string): string {
    return key.slice(key.lastIndexOf(':') + 1);
  }

  async get(key: string): Promise<string | undefined> {
    const id = TrustedDocumentCache.id(key);
    return this.trusted.get(id) ?? this.registered.get(id);
  }

  async set(key: string, value: string): Promise<void> {
    const id = TrustedDocumentCache.id(key);
    if (this.trusted.has(id)) return;
    this.registered.set(id, value);
  }

  async delete(key: string): Promise<boolean> {
    return this.registered.delete(TrustedDocumentCache.id(key));
  }
}

export interface TrustedDocumentsOptions {
  documents: TrustedDocuments;
  /**
   * Clients held to registered operations: a client system (`sub` of its token), every client of
   * a department (`dept:<code>`), or everyone (`*`).
   */
  enforce: readonly string[];
}

export function enforcesTrustedDocuments(enforce: readonly string[], caller: Caller): boolean {
  return (
    enforce.includes('*') || enforce.includes(`dept:${caller.dept}`) || enforce.includes(caller.sub)
  );
}

export function createTrustedDocumentsPlugin(
  options: TrustedDocumentsOptions,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        // Every request, once its text is known (sent or looked up by id) and resolved.
        async didResolveOperation({ contextValue, queryHash }) {
          if (!enforcesTrustedDocuments(options.enforce, contextValue.access.caller)) return;
          if (options.documents.has(queryHash)) return;
          throw new PlatformError(
            ErrorCode.FORBIDDEN,
            'This client may run registered operations only, and this operation is not registered',
            { extensions: { http: { status: 403 }, reason: 'OPERATION_NOT_REGISTERED' } },
          );
        },
      };
    },
  };
}
