/**
 * Turns the identity configuration into keys: configured sources in production, development keys
 * under the data folder otherwise.
 */
import type { JWTVerifyGetKey } from 'jose';
import type { PlatformConfig } from '../config.ts';
import { developmentThumbprints, type KeySetOptions } from './dev-key-check.ts';
import {
  DEV_AUDIENCE,
  DEV_CONSENT_ISSUER,
  DEV_IDP_ISSUER,
  devKeyFiles,
  ensureDevKeys,
} from './dev-keys.ts';
import { keySet, signingKey, type SigningKey } from './key-sources.ts';

export interface GatewayIdentity {
  callerKeys: JWTVerifyGetKey;
  idpIssuer: string;
  audience: string;
  consentKeys: JWTVerifyGetKey;
  consentIssuer: string;
  signing: SigningKey;
}

/** Production refuses development keys; elsewhere they are created when missing. */
async function keyOptions(config: PlatformConfig): Promise<KeySetOptions> {
  if (config.env !== 'production') {
    await ensureDevKeys(config.dataDir);
    return { refuseDevKeys: false };
  }
  return { refuseDevKeys: true, devThumbprints: await developmentThumbprints(config.dataDir) };
}

export async function gatewayIdentity(config: PlatformConfig): Promise<GatewayIdentity> {
  const id = config.identity;
  const options = await keyOptions(config);
  const dev = (name: 'idp' | 'consent-authority' | 'gateway') => devKeyFiles(config.dataDir, name);
  const [callerKeys, consentKeys, signing] = await Promise.all([
    keySet(id.idpJwks ?? dev('idp').publicJwks, options),
    keySet(id.consentJwks ?? dev('consent-authority').publicJwks, options),
    signingKey(id.gatewaySigningKey ?? dev('gateway').privateJwk, options),
  ]);
  return {
    callerKeys,
    idpIssuer: id.idpIssuer ?? DEV_IDP_ISSUER,
    audience: id.audience ?? DEV_AUDIENCE,
    consentKeys,
    consentIssuer: id.consentIssuer ?? DEV_CONSENT_ISSUER,
    signing,
  };
}

/** The keys a subgraph verifies the gateway's access contexts with. */
export async function subgraphVerificationKeys(config: PlatformConfig): Promise<JWTVerifyGetKey> {
  const options = await keyOptions(config);
  return keySet(
    config.identity.gatewayJwks ?? devKeyFiles(config.dataDir, 'gateway').publicJwks,
    options,
  );
}
