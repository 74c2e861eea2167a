import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  AccessContextError,
  AccessContextSigner,
  queryHash,
  signAccessContext,
  verifyAccessContext,
} from '../../schema/access-context.ts';
import { accessFor } from '../helpers/access.ts';

const keys = await generateKeyPair('EdDSA');
const other = await generateKeyPair('EdDSA');
const access = accessFor({ purpose: 'dibao' });
const query = '{ _entities(representations: $r) { __typename } }';

describe('access context', () => {
  it('verifies what the signer made, for that subgraph and that operation only', async () => {
    const signer = new AccessContextSigner(keys.privateKey);
    const token = signer.sign(access, 'housing', query);
    // The gateway's signer asks for grouped access reports (it reads both forms).
    await expect(verifyAccessContext(token, 'housing', query, keys.publicKey)).resolves.toEqual({
      access,
      reportFormat: 'grouped',
    });
    for (const [subgraph, text, key] of [
      ['medical', query, keys.publicKey],
      ['housing', `${query} `, keys.publicKey],
      ['housing', query, other.publicKey],
    ] as const) {
      await expect(verifyAccessContext(token, subgraph, text, key)).rejects.toBeInstanceOf(
        AccessContextError,
      );
    }
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(p!, 'base64url').toString().replace('dibao', 'tekun');
    await expect(
      verifyAccessContext(
        `${h}.${Buffer.from(forged).toString('base64url')}.${s}`,
        'housing',
        query,
        keys.publicKey,
      ),
    ).rejects.toBeInstanceOf(AccessContextError);
  });

  it('refuses missing, malformed and other-algorithm contexts', async () => {
    for (const token of [undefined, '', 'a.b.c', 42]) {
      await expect(
        verifyAccessContext(token, 'housing', query, keys.publicKey),
      ).rejects.toBeInstanceOf(AccessContextError);
    }
    const es = await generateKeyPair('ES256');
    await expect(() => new AccessContextSigner(es.privateKey)).toThrow(/Ed25519/);
  });

  it('agrees with the jose signer, which asks for grouped reports only when told', async () => {
    const plain = await signAccessContext(access, 'household', query, keys.privateKey);
    await expect(verifyAccessContext(plain, 'household', query, keys.publicKey)).resolves.toEqual({
      access,
      reportFormat: 'subjects',
    });
    const grouped = await signAccessContext(access, 'household', query, keys.privateKey, {
      reportFormat: 'grouped',
    });
    await expect(
      verifyAccessContext(grouped, 'household', query, keys.publicKey),
    ).resolves.toMatchObject({ reportFormat: 'grouped' });
  });

  it('answers subject by subject when the report format is one it does not know', async () => {
    const token = await new SignJWT({ ctx: access, qh: queryHash(query), rpt: 'columnar' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'access-context+jwt' })
      .setIssuer('gd-assistance-gateway')
      .setAudience('subgraph:housing')
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(keys.privateKey);
    await expect(verifyAccessContext(token, 'housing', query, keys.publicKey)).resolves.toEqual({
      access,
      reportFormat: 'subjects',
    });
  });

  it('cannot be switched to the grouped form by anyone but the signer', async () => {
    const token = await signAccessContext(access, 'housing', query, keys.privateKey);
    const [h, p, s] = token.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const altered = Buffer.from(JSON.stringify({ ...payload, rpt: 'grouped' })).toString(
      'base64url',
    );
    await expect(
      verifyAccessContext(`${h}.${altered}.${s}`, 'housing', query, keys.publicKey),
    ).rejects.toBeInstanceOf(AccessContextError);
  });
});
