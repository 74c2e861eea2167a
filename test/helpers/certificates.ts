/**
 * Throwaway certificate authorities for mutual-TLS tests, made with the `openssl` binary: a CA
 * signing a department's server certificate (for 127.0.0.1 and localhost) and the gateway's client
 * certificate, and another CA with its own client certificate that the departments must refuse.
 * Where openssl is missing the suite is skipped with a printed reason (a failure under
 * REQUIRE_SERVICES=1, as for PostgreSQL and Redis).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export interface CertificateFiles {
  cert: string;
  key: string;
  ca: string;
}

export interface TestCertificates {
  /** The department's server certificate, and the CA its clients must chain to. */
  department: CertificateFiles;
  /** The gateway's client certificate, and the CA the departments' must chain to. */
  gateway: CertificateFiles;
  /** A client certificate from another CA. */
  stranger: CertificateFiles;
}

function opensslAvailable(): boolean {
  const found = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
  if (found) return true;
  const reason = 'the openssl binary is not on PATH';
  if (process.env.REQUIRE_SERVICES === '1')
    throw new Error(`${reason}, and REQUIRE_SERVICES=1 requires it`);
  console.warn(`SKIPPED: ${reason}; the mutual-TLS tests are skipped`);
  return false;
}

export const openssl = opensslAvailable();

const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

function authority(dir: string, name: string): { cert: string; key: string } {
  const cert = path.join(dir, `${name}.pem`);
  const key = path.join(dir, `${name}.key`);
  run([
    'req',
    '-x509',
    ...newKey,
    '-keyout',
    key,
    '-out',
    cert,
    '-subj',
    `/CN=${name}`,
    '-days',
    '1',
  ]);
  return { cert, key };
}

function issue(
  dir: string,
  name: string,
  ca: { cert: string; key: string },
  extensions: string,
): { cert: string; key: string } {
  const key = path.join(dir, `${name}.key`);
  const csr = path.join(dir, `${name}.csr`);
  const cert = path.join(dir, `${name}.pem`);
  const ext = path.join(dir, `${name}.ext`);
  writeFileSync(ext, extensions);
  run(['req', ...newKey, '-keyout', key, '-out', csr, '-subj', `/CN=${name}`]);
  run(
    ['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial'].concat([
      '-out',
      cert,
      '-days',
      '1',
      '-extfile',
      ext,
    ]),
  );
  return { cert, key };
}

/** Makes the certificates in `dir` (a test's temporary folder). */
export function makeCertificates(dir: string): TestCertificates {
  const ca = authority(dir, 'platform-ca');
  const other = authority(dir, 'other-ca');
  const server = issue(
    dir,
    'department',
    ca,
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  const client = issue(dir, 'gateway', ca, 'extendedKeyUsage=clientAuth\n');
  const stranger = issue(dir, 'stranger', other, 'extendedKeyUsage=clientAuth\n');
  return {
    department: { ...server, ca: ca.cert },
    gateway: { ...client, ca: ca.cert },
    stranger: { ...stranger, ca: ca.cert },
  };
}
