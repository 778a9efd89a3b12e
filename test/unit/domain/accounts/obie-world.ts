import type { Account } from '../../../../shared/domain/accounts/account';
import { startObieReconfirmation } from '../../../../shared/domain/accounts/obie-account-access';
import { completeAccountAccess, connectObieAccount, rejectAccountAccess } from '../../../../shared/domain/accounts/obie-account-access';
import { handleConsentCallback } from '../../../../shared/domain/open-banking/consent-callback';
import type { SecretGenerator } from '../../../../shared/domain/ports';
import { InMemoryAccountRepository, RecordingEventPublisher, TENANT_ID } from '../../../support/domain-fakes';
import { fixedClock, sequentialIds } from '../../../support/fakes';
import {
  FakeAccountInformationGateway,
  fakeSealer,
  InMemoryAuthorisationSessionStore,
  InMemoryBankTokenStore,
  RecordingSettlementQueue,
  StaticAspspDirectory,
} from '../../../support/open-banking-fakes';

/** Distinct random tokens in sequence, so each authorisation has its own state. */
export const countingSecrets = (): SecretGenerator => {
  let n = 0;
  return { randomToken: (bytes) => `rnd${String((n += 1)).padStart(3, '0')}`.padEnd(Math.ceil((bytes * 4) / 3), 'x') };
};

export const API_BASE_URL = 'https://api.settled.test';

/** Every port of the Open Banking account flows, faked, and the use cases wired over them as the handlers wire them. */
export const obieWorld = (now = '2026-11-24T10:00:00.000Z') => {
  const clock = fixedClock(now);
  const accounts = new InMemoryAccountRepository();
  const gateway = new FakeAccountInformationGateway(() => clock.now());
  const sessions = new InMemoryAuthorisationSessionStore();
  const tokens = new InMemoryBankTokenStore();
  const events = new RecordingEventPublisher();
  const settlements = new RecordingSettlementQueue();
  const warnings: { message: string; details: Readonly<Record<string, string>> }[] = [];
  const log = { warn: (message: string, details: Readonly<Record<string, string>>) => void warnings.push({ message, details }) };
  const deps = {
    accounts,
    aspsps: new StaticAspspDirectory(),
    gateway,
    sessions,
    tokens,
    sealer: fakeSealer,
    secrets: countingSecrets(),
    ids: sequentialIds(),
    clock,
    apiBaseUrl: API_BASE_URL,
    events,
    settlements,
    log,
  };
  const callback = (query: { state: string; code?: string; error?: string }) =>
    handleConsentCallback(
      { state: query.state, code: query.code ?? null, error: query.error ?? null },
      {
        sessions,
        completeAccountAccess: (session, code) => completeAccountAccess(session, code, deps),
        rejectAccountAccess: (session, error) => rejectAccountAccess(session, error, deps),
        now: () => clock.now(),
      },
    );
  const connect = (overrides: Partial<Parameters<typeof connectObieAccount>[0]> = {}) =>
    connectObieAccount(
      { tenantId: TENANT_ID, aspspId: 'mock-v4', name: 'Acme Ltd', currency: 'GBP', sortCode: null, accountNumber: null, redirectUrl: null, ...overrides },
      deps,
    );
  /** The state of the latest session created for an account. */
  const stateOf = (accountId: string): string => {
    const found = [...sessions.sessions.values()].filter((session) => session.subjectId === accountId).at(-1);
    if (found === undefined) throw new Error(`no session for ${accountId}`);
    return found.state;
  };
  /** An account connected end to end through the fakes. */
  const connected = async (): Promise<Account> => {
    const account = await connect();
    await callback({ state: stateOf(account.id), code: 'code-1' });
    const stored = await accounts.get(TENANT_ID, account.id);
    if (stored === undefined) throw new Error('not stored');
    return stored;
  };
  return {
    clock,
    accounts,
    gateway,
    sessions,
    tokens,
    events,
    settlements,
    warnings,
    deps,
    callback,
    connect,
    connected,
    stateOf,
    startObieReconfirmation: startObieReconfirmation(deps),
  };
};
