import { describe, expect, it } from 'vitest';
import { claimedPaymentSession, newAuthorisationRequest, paymentSessionsOver } from '../../../../shared/domain/open-banking/authorisation';
import { TENANT_ID } from '../../../support/domain-fakes';
import { fixedClock } from '../../../support/fakes';
import { fakeSealer, InMemoryAuthorisationSessionStore } from '../../../support/open-banking-fakes';
import { countingSecrets } from '../accounts/obie-world';

describe('authorisation sessions for payments', () => {
  it('opens a payment session in the shared store, the verifier sealed, and hands it back claimed with the verifier opened', async () => {
    // Prepare
    const clock = fixedClock();
    const sessions = new InMemoryAuthorisationSessionStore();
    const authorisation = newAuthorisationRequest(countingSecrets(), 'https://api.settled.test/v1/consents/callback');
    // Act
    await paymentSessionsOver({ sessions, sealer: fakeSealer, clock }).openForPayment({
      tenantId: TENANT_ID,
      paymentId: 'pay_1',
      aspspId: 'mock-v31',
      bankConsentId: 'pc-1',
      authorisation,
      redirectUrl: 'https://shop.example/paid',
    });
    const claimed = await sessions.claim(authorisation.state, clock.now());
    // Assess
    expect(claimed).toMatchObject({ purpose: 'payment', subjectId: 'pay_1', expiresAt: '2026-11-24T11:00:00.000Z', redirectUrl: 'https://shop.example/paid' });
    expect(claimed?.sealedCodeVerifier).not.toContain(authorisation.codeVerifier);
    if (claimed === undefined) throw new Error('not claimed');
    expect(await claimedPaymentSession(claimed, 'https://api.settled.test', { sealer: fakeSealer })).toEqual({
      tenantId: TENANT_ID,
      paymentId: 'pay_1',
      aspspId: 'mock-v31',
      bankConsentId: 'pc-1',
      authorisation,
    });
    expect(await sessions.claim(authorisation.state, clock.now())).toBeUndefined();
  });

  it('makes state, nonce and verifier distinct, and the verifier long enough for PKCE (43–128 characters)', () => {
    const request = newAuthorisationRequest(countingSecrets(), 'https://api.settled.test/v1/consents/callback');
    expect(new Set([request.state, request.nonce, request.codeVerifier]).size).toBe(3);
    expect(request.codeVerifier.length).toBeGreaterThanOrEqual(43);
    expect(request.codeVerifier.length).toBeLessThanOrEqual(128);
  });
});
