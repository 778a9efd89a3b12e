/**
 * Key layout of the single table. Partition keys are `<tenantId>#<ENTITY>#<id>` so one tenant's items spread over
 * many partitions; sort keys name the item kind within an entity's partition. gsi1 serves the list access patterns.
 * The busy lists' keys below (payments, events, exceptions, an account's transactions) are each list's *base*: items
 * go to its month buckets and shards (list-partitions.ts), the base itself holding only older and overflow items.
 *
 * Some partitions do not lead with a tenant because the caller does not know one yet: a bank webhook names a bank
 * account (`BANKACCT#…`, `ASPSPACCT#…`), a bank payment id (`BANKPAY#…`) or a bank consent (`BANKCONSENT#…`), a bank's
 * redirect brings back an authorisation `state` (`AUTHSESSION#…`), and the sandbox bank keeps its own state (`SANDBOX#…`).
 * Each is keyed by that outside identity, so they spread as widely as the accounts and payments themselves.
 */
export const tenantKey = (tenantId: string) => ({ pk: `${tenantId}#TENANT`, sk: 'TENANT' });

export const apiKeyKey = (tenantId: string, apiKeyHash: string) => ({ pk: `${tenantId}#APIKEY#${apiKeyHash}`, sk: 'APIKEY' });

export const accountKey = (tenantId: string, accountId: string) => ({ pk: `${tenantId}#ACC#${accountId}`, sk: 'ACCOUNT' });
export const accountListKey = (tenantId: string) => `${tenantId}#ACCOUNTS`;
export const consentKey = (tenantId: string, consentId: string) => ({ pk: `${tenantId}#CON#${consentId}`, sk: 'CONSENT' });
export const accessLogPartition = (tenantId: string, consentId: string) => `${tenantId}#ACCESSLOG#${consentId}`;
export const bankAccountPartition = (provider: string, sortCode: string, accountNumber: string) =>
  `BANKACCT#${provider}#${sortCode}#${accountNumber}`;
/**
 * The accounts (sort key `<tenantId>#<accountId>`) named only by a non-GB IBAN (electronic form) at a provider: a
 * GB IBAN's account is found under {@link bankAccountPartition} by the sort code and account number inside it.
 */
export const ibanAccountPartition = (provider: string, iban: string) => `IBANACCT#${provider}#${iban}`;
/** Open Banking: the accounts connected to a bank's AccountId (sort key `<tenantId>#<accountId>`), for its event notifications. */
export const aspspAccountPartition = (aspspId: string, bankAccountId: string) => `ASPSPACCT#${aspspId}#${bankAccountId}`;
/** Open Banking: every account connected at a bank (sort key `<tenantId>#<accountId>`), for the scheduled sync. */
export const aspspAccountsPartition = (aspspId: string) => `ASPSPACCTS#${aspspId}`;
/** Open Banking: the account whose consent is (or was) a bank's ConsentId, for its consent-revoked notifications. */
export const bankConsentKey = (aspspId: string, bankConsentId: string) => ({ pk: `BANKCONSENT#${aspspId}#${bankConsentId}`, sk: 'BANKCONSENT' });
/** The sealed OAuth tokens of a consent, beside its consent item and never inside the account. */
export const bankTokensKey = (tenantId: string, consentId: string) => ({ pk: `${tenantId}#CON#${consentId}`, sk: 'TOKENS' });
/** An authorisation session, by the SHA-256 of its `state` (a bearer secret, never stored raw). */
export const authorisationSessionKey = (stateHash: string) => ({ pk: `AUTHSESSION#${stateHash}`, sk: 'SESSION' });

export const paymentKey = (tenantId: string, paymentId: string) => ({ pk: `${tenantId}#PAY#${paymentId}`, sk: 'PAYMENT' });
export const paymentListKey = (tenantId: string) => `${tenantId}#PAYMENTS`;
export const bankPaymentKey = (provider: string, bankPaymentId: string) => ({ pk: `BANKPAY#${provider}#${bankPaymentId}`, sk: 'BANKPAY' });
export const referenceClaimKey = (tenantId: string, matchingKey: string) => ({ pk: `${tenantId}#REFCLAIM#${matchingKey}`, sk: 'CLAIM' });

/** Reference index: one item per (account, matching key); its partition is the key's first 8 characters. */
export const REFERENCE_PARTITION_PREFIX = 8;
export const referenceIndexKey = (tenantId: string, accountId: string, matchingKey: string) => ({
  pk: `${tenantId}#REF#${accountId}#${matchingKey.slice(0, REFERENCE_PARTITION_PREFIX)}`,
  sk: matchingKey,
});

export const transactionKey = (tenantId: string, accountId: string, bankTransactionId: string) => ({
  pk: `${tenantId}#TXN#${accountId}#${bankTransactionId}`,
  sk: 'TXN',
});
export const transactionListKey = (tenantId: string, accountId: string) => `${tenantId}#ACCTXNS#${accountId}`;
export const endToEndKey = (tenantId: string, accountId: string, endToEndId: string, status: 'pending' | 'booked' = 'pending') => ({
  pk: `${tenantId}#E2E#${accountId}#${endToEndId}`,
  sk: status === 'pending' ? 'PENDING' : 'BOOKED',
});
/** The report from the other kind of source that a stored transaction was taken for (one per transaction). */
export const twinClaimKey = (tenantId: string, accountId: string, bankTransactionId: string) => ({
  pk: `${tenantId}#TXN#${accountId}#${bankTransactionId}`,
  sk: 'TWIN',
});
export const keptAsideKey = (provider: string, sortCode: string, accountNumber: string, bankTransactionId: string) => ({
  pk: `${bankAccountPartition(provider, sortCode, accountNumber)}#UNCLAIMED`,
  sk: bankTransactionId,
});

/** A transaction kept aside because no account is known by the (non-GB) IBAN it names. */
export const keptAsideByIbanKey = (provider: string, iban: string, bankTransactionId: string) => ({
  pk: `${ibanAccountPartition(provider, iban)}#UNCLAIMED`,
  sk: bankTransactionId,
});

export const cashPositionKey = (tenantId: string, accountId: string, currency: string) => ({
  pk: `${tenantId}#CASH#${accountId}#${currency}`,
  sk: 'POSITION',
});
/**
 * One of the sub-items a position's moves are spread over: each in a partition of its own, so 1,000 settlements a
 * second on one account are N partitions' writes, not one (a partition takes ~1,000 write units a second).
 */
export const cashShardKey = (tenantId: string, accountId: string, currency: string, shard: number) => ({
  pk: `${tenantId}#CASH#${accountId}#${currency}#${String(shard).padStart(2, '0')}`,
  sk: 'SHARD',
});
export const cashPositionListKey = (tenantId: string) => `${tenantId}#POSITIONS`;

export const webhookEndpointKey = (tenantId: string, endpointId: string) => ({ pk: `${tenantId}#WHE#${endpointId}`, sk: 'ENDPOINT' });
export const webhookEndpointListKey = (tenantId: string) => `${tenantId}#ENDPOINTS`;
export const eventKey = (tenantId: string, eventId: string) => ({ pk: `${tenantId}#EVT#${eventId}`, sk: 'EVENT' });
export const eventListKey = (tenantId: string) => `${tenantId}#EVENTS`;
/** The claim and receipt of one delivery: the first (by event and endpoint), or a redelivery (also by its id). */
export const deliveryKey = (tenantId: string, eventId: string, endpointId: string, redeliveryId?: string) => ({
  pk: `${tenantId}#EVT#${eventId}`,
  sk: redeliveryId === undefined ? `DELIVERED#${endpointId}` : `DELIVERED#${endpointId}#${redeliveryId}`,
});

export const exceptionKey = (tenantId: string, exceptionId: string) => ({ pk: `${tenantId}#EXC#${exceptionId}`, sk: 'EXCEPTION' });
export const exceptionListKey = (tenantId: string) => `${tenantId}#EXCEPTIONS`;

export const idempotencyKey = (tenantId: string, key: string) => ({ pk: `${tenantId}#IDEMPOTENCY#${key}`, sk: 'IDEMPOTENCY' });

export const sandboxPaymentKey = (bankPaymentId: string) => ({ pk: `SANDBOX#PAY#${bankPaymentId}`, sk: 'SANDBOX' });

/** One request counter per tenant per epoch second (the rate limiter's fixed window). */
export const rateWindowKey = (tenantId: string, epochSecond: number) => ({ pk: `${tenantId}#RATE#${epochSecond}`, sk: 'RATE' });

/** Open Banking payments: the record beside a payment, keyed by its random bank-payment id (the bank-choice page). */
export const obiePaymentKey = (bankPaymentId: string) => ({ pk: `OBPAY#${bankPaymentId}`, sk: 'OBPAY' });
/** The bank's DomesticPaymentId → that record (event notifications and polls name the bank's id). */
export const obieDomesticPaymentKey = (aspspId: string, domesticPaymentId: string) => ({ pk: `OBDPAY#${aspspId}#${domesticPaymentId}`, sk: 'OBDPAY' });
/** Event notifications taken, by bank and jti. */
export const notificationKey = (aspspId: string, jti: string) => ({ pk: `OBJTI#${aspspId}#${jti}`, sk: 'OBJTI' });

/** A statement import; its counters are items of the same partition (sort keys `COUNT#00`…), read in one query. */
export const statementImportPartition = (tenantId: string, importId: string) => `${tenantId}#IMP#${importId}`;
export const statementImportKey = (tenantId: string, importId: string) => ({ pk: statementImportPartition(tenantId, importId), sk: 'IMPORT' });
export const statementImportCounterKey = (tenantId: string, importId: string, shard: number) => ({
  pk: statementImportPartition(tenantId, importId),
  sk: `COUNT#${String(shard).padStart(2, '0')}`,
});
/** One of an import's transactions, counted (stored or duplicate) once, whatever redelivers it. */
export const statementImportEntryKey = (tenantId: string, importId: string, bankTransactionId: string) => ({
  pk: `${tenantId}#IMPENTRY#${importId}#${bankTransactionId}`,
  sk: 'COUNTED',
});
export const statementMappingKey = (tenantId: string, mappingId: string) => ({ pk: `${tenantId}#MAP#${mappingId}`, sk: 'MAPPING' });

/** A payment's refund counter (minor units refunded so far), beside the payment in its partition. */
export const refundCounterKey = (tenantId: string, paymentId: string) => ({ pk: `${tenantId}#PAY#${paymentId}`, sk: 'REFUNDS' });

/** A payout's files at an Open Banking bank: one item per chunk, in one partition so the journey reads them at once. */
export const payoutFileKey = (tenantId: string, payoutId: string, chunk: number) => ({ pk: payoutFilePartition(tenantId, payoutId), sk: `FILE#${String(chunk).padStart(5, '0')}` });
export const payoutFilePartition = (tenantId: string, payoutId: string) => `${tenantId}#BAT#${payoutId}#FILES`;
/** An account's sync lease and request count, beside the account item. */
export const accountSyncKey = (tenantId: string, accountId: string) => ({ pk: `${tenantId}#ACC#${accountId}`, sk: 'SYNC' });
