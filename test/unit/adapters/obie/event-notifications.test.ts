import { importJWK, SignJWT, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ObieClient } from '../../../../shared/adapters/obie/client';
import { ObieEventNotificationVerifier } from '../../../../shared/adapters/obie/event-notifications';
import { UnauthorizedError, ValidationError } from '../../../../shared/domain/errors';
import { configurationWith, newKeyPair, NOW, SpecCheckingBanks, V3_BANK, V4_BANK, type KeyPair } from './support';

const RESOURCE_UPDATE = 'urn:uk:org:openbanking:events:resource-update';
const REVOKED = 'urn:uk:org:openbanking:events:consent-authorization-revoked';
const subject = (rid: string, rty: string) => ({
  subject_type: 'http://openbanking.org.uk/rid_http://openbanking.org.uk/rty',
  'http://openbanking.org.uk/rid': rid,
  'http://openbanking.org.uk/rty': rty,
  'http://openbanking.org.uk/rlk': [{ version: 'v4.0', link: `${V4_BANK.resourceBaseUrl}/aisp/accounts/${rid}` }],
});
const nowSeconds = Math.floor(NOW.getTime() / 1000);

let tpp: KeyPair;
let bankOld: KeyPair;
let bankNew: KeyPair;
let stranger: KeyPair;

beforeAll(async () => {
  [tpp, bankOld, bankNew, stranger] = await Promise.all([newKeyPair('tpp-1'), newKeyPair('bank-2025'), newKeyPair('bank-2026'), newKeyPair('bank-2025')]);
});

const sign = async (
  key: KeyPair,
  overrides: { claims?: JWTPayload; iss?: string; aud?: string; iat?: number; alg?: string; kid?: string } = {},
): Promise<string> =>
  new SignJWT(overrides.claims ?? { events: { [RESOURCE_UPDATE]: { subject: subject('acc-1', 'transactions') } }, txn: 'txn-1', toe: nowSeconds })
    .setProtectedHeader({ alg: overrides.alg ?? 'PS256', kid: overrides.kid ?? key.privateJwk.kid, typ: 'JWT' })
    .setIssuer(overrides.iss ?? V4_BANK.issuer)
    .setAudience(overrides.aud ?? V4_BANK.clientId)
    .setSubject(`${V4_BANK.resourceBaseUrl}/aisp/accounts/acc-1`)
    .setJti('jti-0001')
    .setIssuedAt(overrides.iat ?? nowSeconds - 10)
    .sign(await importJWK(key.privateJwk, overrides.alg ?? 'PS256'));

/** A verifier whose JWKS comes over the (fake) HTTPS transport; `published` is what the bank serves right now. */
const setup = (published: () => KeyPair[], now: () => Date = () => NOW) => {
  const banks = new SpecCheckingBanks();
  banks.on((captured) => (captured.operationId === 'jwks' ? { status: 200, body: { keys: published().map((key) => key.publicJwk) } } : undefined));
  const configuration = configurationWith(tpp);
  const client = new ObieClient(async () => configuration, { transport: banks, now });
  return { banks, verifier: new ObieEventNotificationVerifier(client) };
};

describe('Open Banking event notification verifier', () => {
  it('verifies a PS256 SET from the bank its iss names and returns its events', async () => {
    const { verifier, banks } = setup(() => [bankOld]);
    expect(await verifier.verify(await sign(bankOld))).toEqual({
      aspspId: V4_BANK.id,
      jti: 'jti-0001',
      issuedAt: '2026-11-30T09:59:50.000Z',
      events: [{ kind: 'resource-update', resourceType: 'transactions', resourceId: 'acc-1' }],
    });
    const [jwksRequest] = banks.requestsTo('jwks');
    expect(jwksRequest?.url.toString()).toBe(V4_BANK.jwksUri);
    expect(jwksRequest?.request.tls.clientCertificatePem).toBeUndefined();
    // Cached: a second token needs no second JWKS read.
    await verifier.verify(await sign(bankOld));
    expect(banks.requestsTo('jwks')).toHaveLength(1);
  });

  it('reads consent-authorization-revoked with its reason, and an event without its own subject as about the other', async () => {
    const { verifier } = setup(() => [bankOld]);
    const revoked = await verifier.verify(
      await sign(bankOld, { claims: { events: { [REVOKED]: { subject: subject('aac-7', 'account-access-consent'), reason: 'customer revoked at bank' } } } }),
    );
    expect(revoked.events).toEqual([{ kind: 'consent-authorization-revoked', resourceType: 'account-access-consent', resourceId: 'aac-7', reason: 'customer revoked at bank' }]);
    const both = await verifier.verify(await sign(bankOld, { claims: { events: { [RESOURCE_UPDATE]: { subject: subject('aac-7', 'account-access-consents') }, [REVOKED]: {} } } }));
    expect(both.events).toEqual([
      { kind: 'resource-update', resourceType: 'account-access-consents', resourceId: 'aac-7' },
      { kind: 'consent-authorization-revoked', resourceType: 'account-access-consents', resourceId: 'aac-7', reason: null },
    ]);
  });

  it('rejects another key under the same kid, another alg, another audience, an unknown issuer and garbage', async () => {
    const { verifier } = setup(() => [bankOld]);
    await expect(verifier.verify(await sign(stranger))).rejects.toThrow(UnauthorizedError);
    await expect(verifier.verify(await sign(bankOld, { alg: 'RS256' }))).rejects.toThrow(/alg RS256 is not PS256/);
    const hs256 = await new SignJWT({ events: {} }).setProtectedHeader({ alg: 'HS256', kid: 'bank-2025' }).setIssuer(V4_BANK.issuer).sign(new TextEncoder().encode('a-shared-secret-of-32-bytes-long!'));
    await expect(verifier.verify(hs256)).rejects.toThrow(UnauthorizedError);
    await expect(verifier.verify(await sign(bankOld, { aud: V3_BANK.clientId }))).rejects.toThrow(UnauthorizedError);
    await expect(verifier.verify(await sign(bankOld, { iss: 'https://unknown.bank.test/issuer' }))).rejects.toThrow(/iss names no configured bank/);
    // Signed by the v4.0 bank's key but claiming to be the v3.1.11 bank: that bank's JWKS does not hold it.
    await expect(verifier.verify(await sign(bankOld, { iss: V3_BANK.issuer, aud: V3_BANK.clientId, kid: 'bank-2025-v3' }))).rejects.toThrow(UnauthorizedError);
    await expect(verifier.verify('not.a.jwt')).rejects.toThrow(UnauthorizedError);
    await expect(verifier.verify('')).rejects.toThrow(UnauthorizedError);
  });

  it('rejects a token older than 24 hours or issued in the future beyond the skew', async () => {
    const { verifier } = setup(() => [bankOld]);
    await expect(verifier.verify(await sign(bankOld, { iat: nowSeconds - 24 * 3600 - 120 }))).rejects.toThrow(UnauthorizedError);
    await expect(verifier.verify(await sign(bankOld, { iat: nowSeconds + 300 }))).rejects.toThrow(UnauthorizedError);
    expect((await verifier.verify(await sign(bankOld, { iat: nowSeconds + 30 }))).jti).toBe('jti-0001');
    expect((await verifier.verify(await sign(bankOld, { iat: nowSeconds - 23 * 3600 }))).jti).toBe('jti-0001');
  });

  it('reads the JWKS again exactly once when a kid is unknown (a rotated key), and not again within the minute', async () => {
    let published = [bankOld];
    let clock = NOW;
    const { verifier, banks } = setup(() => published, () => clock);
    await verifier.verify(await sign(bankOld));
    expect(banks.requestsTo('jwks')).toHaveLength(1);
    published = [bankOld, bankNew];
    expect((await verifier.verify(await sign(bankNew))).aspspId).toBe(V4_BANK.id);
    expect(banks.requestsTo('jwks')).toHaveLength(2);
    // Another unknown kid straight after: refused without a third read (an attacker cannot make us hammer the JWKS).
    await expect(verifier.verify(await sign(stranger, { kid: 'made-up-kid' }))).rejects.toThrow(UnauthorizedError);
    expect(banks.requestsTo('jwks')).toHaveLength(2);
    // A minute later one more read is allowed.
    clock = new Date(NOW.getTime() + 61_000);
    await expect(verifier.verify(await sign(stranger, { kid: 'made-up-kid' }))).rejects.toThrow(UnauthorizedError);
    expect(banks.requestsTo('jwks')).toHaveLength(3);
  });

  it('throws ValidationError for a verified token that is not an event notification Settled handles', async () => {
    const { verifier } = setup(() => [bankOld]);
    await expect(verifier.verify(await sign(bankOld, { claims: { txn: 't' } }))).rejects.toThrow(ValidationError);
    await expect(verifier.verify(await sign(bankOld, { claims: { events: { [RESOURCE_UPDATE]: { subject: { 'http://openbanking.org.uk/rid': 'x' } } } } }))).rejects.toThrow(ValidationError);
    await expect(verifier.verify(await sign(bankOld, { claims: { events: { 'urn:example:other': {} } } }))).rejects.toThrow(ValidationError);
  });

  it('rejects when the bank JWKS cannot be read', async () => {
    const banks = new SpecCheckingBanks();
    banks.on((captured) => (captured.operationId === 'jwks' ? { status: 503, body: { error: 'down' } } : undefined));
    const configuration = configurationWith(tpp);
    const verifier = new ObieEventNotificationVerifier(new ObieClient(async () => configuration, { transport: banks, now: () => NOW }));
    await expect(verifier.verify(await sign(bankOld))).rejects.toThrow(UnauthorizedError);
  });
});
