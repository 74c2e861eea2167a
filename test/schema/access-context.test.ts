import fc from 'fast-check';
import { generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AccessContextError,
  AccessContextSigner,
  accessContextLifetime,
  queryHash,
  signAccessContext,
  variablesHash,
  variablesJson,
  verifyAccessContext,
} from '../../schema/access-context.ts';
import { accessFor } from '../helpers/access.ts';

const keys = await generateKeyPair('EdDSA');
const other = await generateKeyPair('EdDSA');
const access = accessFor({ purpose: 'dibao' });
const query = '{ _entities(representations: $r) { __typename } }';
const variables = { r: [{ __typename: 'Person', id: 'P000001' }] };
const call = { query, variables };
const json = variablesJson(variables);

const payloadOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

/** A context as a gateway would sign it, with claims of the test's choosing. */
const signed = (claims: Record<string, unknown>, lifetime: string | number = '15s') =>
  new SignJWT({
    ctx: access,
    qh: queryHash(query),
    vh: variablesHash(json),
    jti: 'test-context',
    ...claims,
  })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'access-context+jwt' })
    .setIssuer('gd-assistance-gateway')
    .setAudience('subgraph:housing')
    .setIssuedAt()
    .setExpirationTime(lifetime)
    .sign(keys.privateKey);

afterEach(() => {
  vi.useRealTimers();
});

describe('access context', () => {
  it('verifies what the signer made, for that subgraph and that call only', async () => {
    const signer = new AccessContextSigner(keys.privateKey);
    const token = signer.sign(access, 'housing', query, json);
    // The gateway's signer asks for grouped access reports (it reads both forms).
    await expect(verifyAccessContext(token, 'housing', call, keys.publicKey)).resolves.toEqual({
      access,
      reportFormat: 'grouped',
      id: payloadOf(token).jti,
      validUntil: ((payloadOf(token).exp as number) + 5) * 1000,
    });
    for (const [subgraph, text, key] of [
      ['medical', query, keys.publicKey],
      ['housing', `${query} `, keys.publicKey],
      ['housing', query, other.publicKey],
    ] as const) {
      await expect(
        verifyAccessContext(token, subgraph, { query: text, variables }, key),
      ).rejects.toBeInstanceOf(AccessContextError);
    }
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(p!, 'base64url').toString().replace('dibao', 'tekun');
    await expect(
      verifyAccessContext(
        `${h}.${Buffer.from(forged).toString('base64url')}.${s}`,
        'housing',
        call,
        keys.publicKey,
      ),
    ).rejects.toBeInstanceOf(AccessContextError);
  });

  it('is bound to the variables: the same operation for other people is refused', async () => {
    const signer = new AccessContextSigner(keys.privateKey);
    const token = signer.sign(access, 'housing', query, json);
    for (const changed of [
      { r: [{ __typename: 'Person', id: 'P000002' }] },
      { r: [...variables.r, { __typename: 'Person', id: 'P000002' }] },
      {},
      null,
      undefined,
    ]) {
      await expect(
        verifyAccessContext(token, 'housing', { query, variables: changed }, keys.publicKey),
      ).rejects.toThrow(/other variables/);
    }
    // What a department parses from the body the gateway wrote verifies (absent counts as null).
    const parsed = JSON.parse(`{"variables":${json}}`).variables;
    await expect(
      verifyAccessContext(token, 'housing', { query, variables: parsed }, keys.publicKey),
    ).resolves.toBeDefined();
    const none = signer.sign(access, 'housing', query, variablesJson(undefined));
    await expect(
      verifyAccessContext(none, 'housing', { query, variables: undefined }, keys.publicKey),
    ).resolves.toBeDefined();
  });

  it('hashes the same variables at both ends, for any JSON the gateway writes', () => {
    // The gateway hashes the text it sends; the department re-serializes what it parsed.
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const sent = variablesJson(value);
        expect(variablesJson(JSON.parse(sent))).toBe(sent);
      }),
      { numRuns: 2000 },
    );
  });

  it('carries a unique id, and lives 15 s for the default 5 s deadline', async () => {
    const signer = new AccessContextSigner(keys.privateKey);
    const tokens = Array.from({ length: 100 }, () => signer.sign(access, 'housing', query, json));
    const payloads = tokens.map(payloadOf);
    expect(new Set(payloads.map((p) => p.jti)).size).toBe(100);
    expect(payloads.every((p) => (p.exp as number) - (p.iat as number) === 15)).toBe(true);
    expect(accessContextLifetime(5000)).toBe(15);
    expect(accessContextLifetime(50)).toBe(15);
    expect(accessContextLifetime(30_000)).toBe(40);
    expect(accessContextLifetime(120_000)).toBe(130);
    const jose = payloadOf(
      await signAccessContext(access, 'housing', query, variables, keys.privateKey),
    );
    expect(jose.exp as number).toBe((jose.iat as number) + 15);
    expect(jose.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is refused once expired (beyond 5 s of clock tolerance)', async () => {
    const signer = new AccessContextSigner(keys.privateKey);
    const token = signer.sign(access, 'housing', query, json);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 19_000);
    await expect(
      verifyAccessContext(token, 'housing', call, keys.publicKey),
    ).resolves.toBeDefined();
    vi.setSystemTime(Date.now() + 2_000);
    await expect(
      verifyAccessContext(token, 'housing', call, keys.publicKey),
    ).rejects.toBeInstanceOf(AccessContextError);
  });

  it('refuses contexts without an id or that would live longer than any deadline needs', async () => {
    const noId = await new SignJWT({ ctx: access, qh: queryHash(query), vh: variablesHash(json) })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'access-context+jwt' })
      .setIssuer('gd-assistance-gateway')
      .setAudience('subgraph:housing')
      .setIssuedAt()
      .setExpirationTime('15s')
      .sign(keys.privateKey);
    for (const token of [
      noId,
      await signed({ jti: 42 }),
      await signed({ jti: 'x'.repeat(65) }),
      await signed({}, '131s'),
      await signed({ vh: undefined }),
    ]) {
      await expect(
        verifyAccessContext(token, 'housing', call, keys.publicKey),
      ).rejects.toBeInstanceOf(AccessContextError);
    }
    await expect(
      verifyAccessContext(await signed({}, '130s'), 'housing', call, keys.publicKey),
    ).resolves.toBeDefined();
    expect(() => new AccessContextSigner(keys.privateKey, { lifetimeSeconds: 131 })).toThrow();
  });

  it('refuses missing, malformed and other-algorithm contexts', async () => {
    for (const token of [undefined, '', 'a.b.c', 42]) {
      await expect(
        verifyAccessContext(token, 'housing', call, keys.publicKey),
      ).rejects.toBeInstanceOf(AccessContextError);
    }
    const es = await generateKeyPair('ES256');
    await expect(() => new AccessContextSigner(es.privateKey)).toThrow(/Ed25519/);
  });

  it('agrees with the jose signer, which asks for grouped reports only when told', async () => {
    const plain = await signAccessContext(access, 'household', query, variables, keys.privateKey);
    await expect(
      verifyAccessContext(plain, 'household', call, keys.publicKey),
    ).resolves.toMatchObject({ access, reportFormat: 'subjects' });
    const grouped = await signAccessContext(
      access,
      'household',
      query,
      variables,
      keys.privateKey,
      { reportFormat: 'grouped' },
    );
    await expect(
      verifyAccessContext(grouped, 'household', call, keys.publicKey),
    ).resolves.toMatchObject({ reportFormat: 'grouped' });
  });

  it('answers subject by subject when the report format is one it does not know', async () => {
    const token = await signed({ rpt: 'columnar' });
    await expect(
      verifyAccessContext(token, 'housing', call, keys.publicKey),
    ).resolves.toMatchObject({ access, reportFormat: 'subjects' });
  });

  it('cannot be switched to the grouped form by anyone but the signer', async () => {
    const token = await signAccessContext(access, 'housing', query, variables, keys.privateKey);
    const [h, p, s] = token.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const altered = Buffer.from(JSON.stringify({ ...payload, rpt: 'grouped' })).toString(
      'base64url',
    );
    await expect(
      verifyAccessContext(`${h}.${altered}.${s}`, 'housing', call, keys.publicKey),
    ).rejects.toBeInstanceOf(AccessContextError);
  });
});
