import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAccountRepository } from '../../shared/adapters/dynamodb/account-repository';
import { DynamoDbAuthorisationSessionStore, stateHash } from '../../shared/adapters/dynamodb/authorisation-session-store';
import { DynamoDbBankTokenStore } from '../../shared/adapters/dynamodb/bank-token-store';
import { authorisationSessionKey, bankTokensKey } from '../../shared/adapters/dynamodb/keys';
import { DynamoDbCashPositionStore } from '../../shared/adapters/dynamodb/cash-position-store';
import { LocalTokenSealer } from '../../shared/adapters/token-sealing/local-token-sealer';
import { accountView } from '../../shared/domain/accounts/account-queries';
import { connectObieAccount, completeAccountAccess } from '../../shared/domain/accounts/obie-account-access';
import { type AuthorisationSession, freshTokens, storeTokens } from '../../shared/domain/open-banking/authorisation';
import { anAccount } from '../support/domain-fakes';
import { fixedClock, sequentialIds } from '../support/fakes';
import { FakeAccountInformationGateway, StaticAspspDirectory } from '../support/open-banking-fakes';
import { createTestTable } from './table';

const session = (overrides: Partial<AuthorisationSession> = {}): AuthorisationSession => ({
  state: randomBytes(32).toString('base64url'),
  purpose: 'account-access',
  tenantId: 'ten_01JD0000000000000000000001',
  subjectId: 'acc_01JD0000000000000000000001',
  aspspId: 'mock-v4',
  bankConsentId: 'bank-consent-1',
  nonce: 'nonce-1',
  sealedCodeVerifier: 'sealed-verifier',
  redirectUrl: null,
  createdAt: '2026-11-24T10:00:00.000Z',
  expiresAt: '2026-11-24T11:00:00.000Z',
  usedAt: null,
  ...overrides,
});

describe('Open Banking stores on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let sessions: DynamoDbAuthorisationSessionStore;
  let tokens: DynamoDbBankTokenStore;
  let accounts: DynamoDbAccountRepository;
  const now = new Date('2026-11-24T10:30:00.000Z');

  beforeAll(async () => {
    table = await createTestTable();
    sessions = new DynamoDbAuthorisationSessionStore(table.documentClient, table.tableName);
    tokens = new DynamoDbBankTokenStore(table.documentClient, table.tableName);
    accounts = new DynamoDbAccountRepository(table.documentClient, table.tableName);
  });

  it('stores a session under the hash of its state, never the state itself', async () => {
    const created = session();
    await sessions.create(created);
    const { Item } = await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: authorisationSessionKey(stateHash(created.state)) }));
    expect(Item).toBeDefined();
    expect(JSON.stringify(Item)).not.toContain(created.state);
  });

  it('10 parallel claims of one state: exactly one wins, with the session as it was', async () => {
    const created = session();
    await sessions.create(created);
    const claims = await Promise.all(Array.from({ length: 10 }, () => sessions.claim(created.state, now)));
    const won = claims.filter((claim) => claim !== undefined);
    expect(won).toEqual([created]);
    expect(await sessions.claim(created.state, now)).toBeUndefined();
  });

  it('refuses an unknown and an expired state', async () => {
    const created = session();
    await sessions.create(created);
    expect(await sessions.claim('unknown-state', now)).toBeUndefined();
    expect(await sessions.claim(created.state, new Date('2026-11-24T11:00:00.000Z'))).toBeUndefined();
    // Refused while expired, it was not used: still unclaimed for a clock within the hour.
    expect(await sessions.claim(created.state, now)).toEqual(created);
  });

  it('replaces tokens only from the version read', async () => {
    expect(await tokens.put('ten_1', 'con_1', 'first', null)).toBe(true);
    expect(await tokens.put('ten_1', 'con_1', 'again', null)).toBe(false);
    expect(await tokens.put('ten_1', 'con_1', 'second', 1)).toBe(true);
    expect(await tokens.put('ten_1', 'con_1', 'stale', 1)).toBe(false);
    expect(await tokens.get('ten_1', 'con_1')).toEqual({ sealed: 'second', version: 2 });
  });

  it('concurrent refreshes of one consent store exactly one, and every caller ends with the stored tokens', async () => {
    const clock = fixedClock('2026-11-24T10:00:00.000Z');
    const sealer = new LocalTokenSealer(async () => randomBytes(32).toString('base64'));
    const gateway = new FakeAccountInformationGateway(() => clock.now());
    const context = { tenantId: 'ten_race', consentId: 'con_race', aspspId: 'mock-v4' };
    await storeTokens(context, { accessToken: 'old', refreshToken: 'refresh-old', expiresAt: '2026-11-24T10:00:30.000Z' }, null, { tokens, sealer });
    const used = await Promise.all(Array.from({ length: 5 }, () => freshTokens(context, { tokens, sealer, gateway, clock })));
    const stored = await tokens.get(context.tenantId, context.consentId);
    expect(stored?.version).toBe(2);
    const storedAccess = JSON.parse(await sealer.open(stored?.sealed ?? '', context)).accessToken;
    expect(gateway.refreshes).toBeGreaterThanOrEqual(1);
    // Each caller used either the tokens it stored (the winner) or the winner's, read back: all the same.
    expect(new Set(used.map((tokens_) => tokens_.accessToken))).toEqual(new Set([storedAccess]));
  });

  it('connects an obie account: sealed tokens are not plaintext in the stored item, and the account output carries no token', async () => {
    // Prepare
    const clock = fixedClock('2026-11-24T10:00:00.000Z');
    const sealer = new LocalTokenSealer(async () => randomBytes(32).toString('base64'));
    const gateway = new FakeAccountInformationGateway(() => clock.now());
    const tenantId = 'ten_01JD00000000000000000000OB';
    const deps = {
      accounts,
      aspsps: new StaticAspspDirectory(),
      gateway,
      sessions,
      tokens,
      sealer,
      secrets: { randomToken: (bytes: number) => randomBytes(bytes).toString('base64url') },
      ids: sequentialIds(),
      clock,
      apiBaseUrl: 'https://api.settled.test',
      log: { warn: () => undefined },
    };
    const account = await connectObieAccount({ tenantId, aspspId: 'mock-v4', name: 'Acme', currency: 'GBP', sortCode: null, accountNumber: null, redirectUrl: null }, deps);
    const state = (gateway.callsOf('createAccessConsent')[0]?.detail as { state: string }).state;
    const claimed = await sessions.claim(state, clock.now());
    if (claimed === undefined) throw new Error('the session was not claimed');
    // Act
    const outcome = await completeAccountAccess(claimed, 'code-1', deps);
    // Assess
    expect(outcome.kind).toBe('connected');
    const { Item } = await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: bankTokensKey(tenantId, account.consent.id) }));
    expect(JSON.stringify(Item)).not.toContain('access-code-code-1');
    expect(JSON.stringify(Item)).not.toContain('refresh-code-code-1');
    const stored = await accounts.get(tenantId, account.id);
    if (stored === undefined) throw new Error('the account was not stored');
    expect(stored).toMatchObject({ status: 'active', sortCode: '601613', bankAccountId: 'bank-acc-1', openingBalance: 250_000, version: 2 });
    const output = JSON.stringify(accountView(stored));
    expect(output).not.toContain('access-code');
    expect(output).not.toContain('bank-consent-1');
    // Findable by the bank's ids, routed by its bank account, with its opening cash position.
    expect((await accounts.findByAspspAccount('mock-v4', 'bank-acc-1')).map((found) => found.id)).toEqual([account.id]);
    expect((await accounts.findByBankConsent('mock-v4', 'bank-consent-1'))?.id).toBe(account.id);
    expect(await accounts.listConnectedAt('mock-v4')).toEqual([{ tenantId, accountId: account.id }]);
    expect((await accounts.findByBankAccount('obie', '601613', '31926819')).map((found) => found.id)).toEqual([account.id]);
    const positions = await new DynamoDbCashPositionStore(table.documentClient, table.tableName).list(tenantId);
    expect(positions.map((position) => [position.accountId, position.settledBalance])).toEqual([[account.id, 250_000]]);
  });

  it('updates an account only from the version it read, and reads pre-Open-Banking items as version 1', async () => {
    const legacy = anAccount({ id: 'acc_01JD000000000000000000LEGA', tenantId: 'ten_legacy' });
    const { aspspId: _a, bankAccountId: _b, syncCursor: _s, connectedAt: _c, version: _v, ...old } = legacy;
    const { authorisationUrl: _u, bankConsentId: _bc, pendingBankConsentId: _p, statusReason: _r, reconfirmationNotifiedFor: _n, ...oldConsent } = legacy.consent;
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { pk: `${legacy.tenantId}#ACC#${legacy.id}`, sk: 'ACCOUNT', entity: 'account', ...old, consent: oldConsent },
      }),
    );
    const read = await accounts.get(legacy.tenantId, legacy.id);
    expect(read).toEqual(legacy);
    const next = { ...legacy, consent: { ...legacy.consent, reconfirmBy: '2027-06-01T00:00:00.000Z' }, version: 2 };
    expect(await accounts.update(next)).toBe(true);
    expect(await accounts.update(next)).toBe(false);
    expect((await accounts.get(legacy.tenantId, legacy.id))?.consent.reconfirmBy).toBe('2027-06-01T00:00:00.000Z');
  });

  it('of concurrent updates from one version exactly one is stored', async () => {
    const account = anAccount({ id: 'acc_01JD000000000000000000RACE', tenantId: 'ten_race_accounts' });
    await accounts.create(account);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, index) => accounts.update({ ...account, syncCursor: `2026-11-24T10:00:0${index}.000Z`, version: 2 })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const stored = await accounts.get(account.tenantId, account.id);
    expect(stored?.version).toBe(2);
    expect(stored?.syncCursor).toBe(`2026-11-24T10:00:0${results.indexOf(true)}.000Z`);
  });
});
