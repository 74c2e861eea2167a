/**
 * Mutual TLS between the gateway and the departments, from PEM files named by environment
 * variables: a department serves HTTPS and requires a client certificate its CA signed
 * (SUBGRAPH_TLS_*), and the gateway presents its own and accepts only departments its CA signed
 * (GATEWAY_TLS_*). Each trio is all or nothing; the files are read and checked at start (readable,
 * PEM, the key belongs to the certificate) so a deployment mistake stops the process with the
 * variable's name instead of failing every call.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { EnvReader } from './operations-config.ts';

/** PEM contents: this side's certificate and key, and the CA the other side's must chain to. */
export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  ca: Buffer;
}

type Part = 'CERT' | 'KEY' | 'CA';

function readPem(read: EnvReader, name: string, file: string, cwd: string): Buffer | undefined {
  try {
    return readFileSync(path.resolve(cwd, file));
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable';
    read.problems.push(`${name}: cannot read ${file} (${code})`);
    return undefined;
  }
}

/** Reads `<prefix>_CERT`, `_KEY` and `_CA`: undefined when none is set. */
export function readTlsMaterial(
  read: EnvReader,
  prefix: string,
  cwd: string,
): TlsMaterial | undefined {
  const names = { CERT: `${prefix}_CERT`, KEY: `${prefix}_KEY`, CA: `${prefix}_CA` };
  const files = Object.fromEntries(
    (Object.keys(names) as Part[]).map((part) => [part, read.string(names[part])]),
  ) as Record<Part, string | undefined>;
  const set = (Object.keys(files) as Part[]).filter((part) => files[part] !== undefined);
  if (set.length === 0) return undefined;
  if (set.length < 3) {
    const missing = (Object.keys(files) as Part[]).filter((part) => files[part] === undefined);
    read.problems.push(
      `${names.CERT}, ${names.KEY} and ${names.CA} go together: ${missing.map((p) => names[p]).join(' and ')} missing`,
    );
    return undefined;
  }
  const cert = readPem(read, names.CERT, files.CERT!, cwd);
  const key = readPem(read, names.KEY, files.KEY!, cwd);
  const ca = readPem(read, names.CA, files.CA!, cwd);
  if (!cert || !key || !ca) return undefined;
  let certificate: X509Certificate | undefined;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    read.problems.push(`${names.CERT}: ${files.CERT} is not a PEM certificate`);
  }
  try {
    new X509Certificate(ca);
  } catch {
    read.problems.push(`${names.CA}: ${files.CA} is not a PEM certificate`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    // Never echo the file: it is a secret.
    read.problems.push(`${names.KEY}: ${files.KEY} is not a PEM private key`);
  }
  if (certificate && privateKey && !certificate.checkPrivateKey(privateKey))
    read.problems.push(`${names.KEY} is not the key of ${names.CERT}`);
  return { cert, key, ca };
}
