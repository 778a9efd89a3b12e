import { FlattenedSign, exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { JwsRejected, OB_IAT, OB_ISS, OB_TAN, importSigningKey, type SigningKey, signDetached, verifyDetached } from '../../../../../infra/local/obie/mock-bank/jws';
import { initiationReference, transactionJson } from '../../../../../infra/local/obie/mock-bank/wire';
import type { StoredTransaction } from '../../../../../infra/local/obie/mock-bank/state';

describe('initiationReference', () => {
  it.each([
    { description: 'v3.1.11 Reference', version: 'v3.1.11' as const, remittance: { Reference: 'INV-1', Unstructured: 'narrative' }, expected: 'INV-1' },
    { description: 'v3.1.11 Unstructured when no Reference', version: 'v3.1.11' as const, remittance: { Unstructured: 'narrative' }, expected: 'narrative' },
    { description: 'v4.0 structured creditor reference', version: 'v4.0' as const, remittance: { Structured: [{ CreditorReferenceInformation: { Reference: 'INV-2' } }], Unstructured: ['x'] }, expected: 'INV-2' },
    { description: 'v4.0 first Unstructured line otherwise', version: 'v4.0' as const, remittance: { Unstructured: ['line 1', 'line 2'] }, expected: 'line 1' },
    { description: 'v4.0 ignores a v3-style Reference', version: 'v4.0' as const, remittance: { Reference: 'INV-3' }, expected: undefined },
  ])('$description', ({ version, remittance, expected }) => {
    // Act
    const reference = initiationReference(version, { RemittanceInformation: remittance });
    // Assess
    expect(reference).toBe(expected);
  });
});

describe('transactionJson', () => {
  const transaction: StoredTransaction = {
    transactionId: 'txn-1',
    accountId: 'acc-1',
    fasterPaymentsId: 'MOCKFP2611300000000001',
    endToEndIdentification: 'e2e-1',
    creditDebit: 'Credit',
    status: 'pending',
    amountMinor: 123456,
    currency: 'GBP',
    reference: 'INV 42',
    counterparty: { name: 'Pat Payer', sortCode: '040100', accountNumber: '10000001' },
    bookingDateTime: '2026-11-30T10:00:00.000Z',
    sequence: 1,
  };

  it.each([
    { version: 'v3.1.11' as const, pending: 'Pending', booked: 'Booked' },
    { version: 'v4.0' as const, pending: 'PDNG', booked: 'BOOK' },
  ])('keeps the Faster Payments id apart from the reference in $version', ({ version, pending, booked }) => {
    // Act
    const pendingJson = transactionJson(version, transaction, 'Mock North Bank');
    const bookedJson = transactionJson(version, { ...transaction, status: 'booked' }, 'Mock North Bank');
    // Assess
    expect(pendingJson).toMatchObject({
      Status: pending,
      TransactionMutability: 'Mutable',
      TransactionReference: 'MOCKFP2611300000000001',
      TransactionInformation: 'INV 42',
      Amount: { Amount: '1234.56', Currency: 'GBP' },
      DebtorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '04010010000001', Name: 'Pat Payer' },
      SupplementaryData: { EndToEndIdentification: 'e2e-1' },
    });
    expect(bookedJson).toMatchObject({ Status: booked, TransactionMutability: 'Immutable' });
  });
});

describe('x-jws-signature', () => {
  const body = '{"Data":{"ConsentId":"c-1"}}';
  const issuer = 'org/software';
  let key: SigningKey;
  let publicKey: SigningKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('PS256', { extractable: true });
    key = pair.privateKey;
    publicKey = await importSigningKey({ ...(await exportJWK(pair.publicKey)), kid: 'k1' });
  });

  const handMade = async (header: Record<string, unknown>, payload = body): Promise<string> => {
    const jws = await new FlattenedSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg: 'PS256', ...header }).sign(key, { crit: { [OB_IAT]: true, [OB_ISS]: true, [OB_TAN]: true, b64: true } });
    return `${jws.protected ?? ''}..${jws.signature}`;
  };
  const goodHeader = (): Record<string, unknown> => ({
    kid: 'k1',
    typ: 'JOSE',
    cty: 'application/json',
    [OB_IAT]: Math.floor(Date.now() / 1000),
    [OB_ISS]: issuer,
    [OB_TAN]: 'openbanking.org.uk',
    crit: [OB_IAT, OB_ISS, OB_TAN],
  });

  it('accepts its own detached signature over the exact body', async () => {
    // Act
    const signature = await signDetached(body, key, 'k1', issuer);
    // Assess
    await expect(verifyDetached(signature, body, publicKey, { kid: 'k1', issuer })).resolves.toBeUndefined();
    expect(signature).toMatch(/^[\w-]+\.\.[\w-]+$/);
  });

  it.each([
    { description: 'a missing signature', make: async () => undefined, code: 'UK.OBIE.Signature.Missing' },
    { description: 'an attached payload', make: async () => (await handMade(goodHeader())).replace('..', `.${Buffer.from(body).toString('base64url')}.`), code: 'UK.OBIE.Signature.Malformed' },
    { description: 'the b64 header removed since v3.1.4', make: async () => handMade({ ...goodHeader(), b64: false, crit: [OB_IAT, OB_ISS, OB_TAN, 'b64'] }), code: 'UK.OBIE.Signature.InvalidClaim' },
    { description: 'another issuer', make: async () => handMade({ ...goodHeader(), [OB_ISS]: 'someone/else' }), code: 'UK.OBIE.Signature.InvalidClaim' },
    { description: 'crit without the tan', make: async () => handMade({ ...goodHeader(), crit: [OB_IAT, OB_ISS] }), code: 'UK.OBIE.Signature.MissingClaim' },
    { description: 'a stale iat', make: async () => handMade({ ...goodHeader(), [OB_IAT]: Math.floor(Date.now() / 1000) - 3600 }), code: 'UK.OBIE.Signature.InvalidClaim' },
    { description: 'a signature over another body', make: async () => handMade(goodHeader(), '{"Data":{}}'), code: 'UK.OBIE.Signature.Invalid' },
  ])('refuses $description', async ({ make, code }) => {
    // Prepare
    const signature = await make();
    // Act
    const outcome = await verifyDetached(signature, body, publicKey, { kid: 'k1', issuer }).then(
      () => undefined,
      (error: unknown) => error,
    );
    // Assess
    expect(outcome).toBeInstanceOf(JwsRejected);
    expect(outcome instanceof JwsRejected ? outcome.code : undefined).toBe(code);
  });
});
