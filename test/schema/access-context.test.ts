import { generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  AccessContextError,
  AccessContextSigner,
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
    await expect(verifyAccessContext(token, 'housing', query, keys.publicKey)).resolves.toEqual(
      access,
    );
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

  it('agrees with the jose signer', async () => {
    const token = await signAccessContext(access, 'household', query, keys.privateKey);
    await expect(verifyAccessContext(token, 'household', query, keys.publicKey)).resolves.toEqual(
      access,
    );
  });
});
