import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AuthorisationSession, AuthorisationSessionStore } from '../../domain/open-banking/authorisation';
import { authorisationSessionKey } from './keys';

/** `state` is a bearer secret: only its SHA-256 is stored or used as a key. */
export const stateHash = (state: string): string => createHash('sha256').update(state, 'utf8').digest('base64url');

/** How long after it expires DynamoDB may delete a session (the TTL attribute; a claim checks `expiresAt` itself). */
const TTL_GRACE_SECONDS = 24 * 60 * 60;

/**
 * Authorisation sessions (account access and payments alike), keyed by the hash of their `state`. A claim is one
 * conditional update — exists, unused, unexpired — that returns the session as it was, so of any number of
 * concurrent or replayed claims exactly one gets it and the others change nothing.
 */
export class DynamoDbAuthorisationSessionStore implements AuthorisationSessionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(session: AuthorisationSession): Promise<void> {
    const { state, expiresAt, usedAt: _unused, ...fields } = session;
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...authorisationSessionKey(stateHash(state)),
          entity: 'authorisationSession',
          ...fields,
          sessionExpiresAt: expiresAt,
          // The table's TTL attribute (epoch seconds).
          expiresAt: Math.floor(Date.parse(expiresAt) / 1000) + TTL_GRACE_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async claim(state: string, now: Date): Promise<AuthorisationSession | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: authorisationSessionKey(stateHash(state)),
          UpdateExpression: 'SET usedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt) AND sessionExpiresAt > :now',
          ExpressionAttributeValues: { ':now': now.toISOString() },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return Attributes === undefined ? undefined : toSession(state, Attributes);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }
}

const text = (item: Record<string, unknown>, name: string): string => {
  const value = item[name];
  if (typeof value !== 'string') throw new Error(`Authorisation session item lacks ${name}`);
  return value;
};

const toSession = (state: string, item: Record<string, unknown>): AuthorisationSession => {
  if (item.entity !== 'authorisationSession') throw new Error(`Expected an authorisationSession item, found ${String(item.entity)}`);
  const purpose = text(item, 'purpose');
  if (purpose !== 'account-access' && purpose !== 'payment' && purpose !== 'mandate' && purpose !== 'payout') throw new Error(`Unknown authorisation purpose ${purpose}`);
  return {
    state,
    purpose,
    tenantId: text(item, 'tenantId'),
    subjectId: text(item, 'subjectId'),
    aspspId: text(item, 'aspspId'),
    bankConsentId: text(item, 'bankConsentId'),
    nonce: text(item, 'nonce'),
    sealedCodeVerifier: text(item, 'sealedCodeVerifier'),
    redirectUrl: typeof item.redirectUrl === 'string' ? item.redirectUrl : null,
    createdAt: text(item, 'createdAt'),
    expiresAt: text(item, 'sessionExpiresAt'),
    usedAt: typeof item.usedAt === 'string' ? item.usedAt : null,
  };
};
