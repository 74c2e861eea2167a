/**
 * Turns the identity configuration into keys: configured sources in production, development keys
 * under the data folder otherwise.
 */
import type { JWTVerifyGetKey } from 'jose';
import type { PlatformConfig } from '../config.ts';
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

export async function gatewayIdentity(config: PlatformConfig): Promise<GatewayIdentity> {
  const id = config.identity;
  const production = config.env === 'production';
  const options = { refuseDevKeys: production };
  if (!production) await ensureDevKeys(config.dataDir);
  const dev = (name: 'idp' | 'consent-authority' | 'gateway') => devKeyFiles(config.dataDir, name);
  return {
    callerKeys: keySet(id.idpJwks ?? dev('idp').publicJwks, options),
    idpIssuer: id.idpIssuer ?? DEV_IDP_ISSUER,
    audience: id.audience ?? DEV_AUDIENCE,
    consentKeys: keySet(id.consentJwks ?? dev('consent-authority').publicJwks, options),
    consentIssuer: id.consentIssuer ?? DEV_CONSENT_ISSUER,
    signing: await signingKey(id.gatewaySigningKey ?? dev('gateway').privateJwk, options),
  };
}

/** The keys a subgraph verifies the gateway's access contexts with. */
export async function subgraphVerificationKeys(config: PlatformConfig): Promise<JWTVerifyGetKey> {
  const production = config.env === 'production';
  if (!production) await ensureDevKeys(config.dataDir);
  return keySet(config.identity.gatewayJwks ?? devKeyFiles(config.dataDir, 'gateway').publicJwks, {
    refuseDevKeys: production,
  });
}
