import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbEventLog } from '../../../../shared/adapters/dynamodb/callback-store';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-2' }));
const ddb = mockClient(documentClient);
const log = new DynamoDbEventLog(documentClient, 'settled-test');
const first = { tenantId: 'ten_1', eventId: 'evt_1', endpointId: 'whe_1' };
const redelivery = { ...first, redeliveryId: 'rdl_1' };

/** The delivery item keys of the UpdateItem requests sent, in order. */
const updatedKeys = () => ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input.Key);

describe('DynamoDbEventLog delivery claims of a redelivery', () => {
  beforeEach(() => {
    ddb.reset();
    ddb.on(UpdateCommand).resolves({});
  });

  it('claims, finishes and marks a first delivery under event and endpoint, as before redeliveries existed', async () => {
    // Act
    await log.claimAttempt(first, 1, '2026-11-24T10:00:00.000Z', '2026-11-24T09:59:30.000Z');
    await log.finishAttempt(first, 1, 'retry_scheduled');
    await log.markDelivered('ten_1', 'evt_1', 'whe_1', '2026-11-24T10:00:05.000Z');
    // Assess
    expect(updatedKeys()).toEqual(Array.from({ length: 3 }, () => ({ pk: 'ten_1#EVT#evt_1', sk: 'DELIVERED#whe_1' })));
  });

  it('claims, finishes and marks a redelivery under its own key, next to the first delivery’s in the event’s partition', async () => {
    // Act
    await log.claimAttempt(redelivery, 1, '2026-11-24T10:00:00.000Z', '2026-11-24T09:59:30.000Z');
    await log.finishAttempt(redelivery, 1, 'given_up');
    await log.markDelivered('ten_1', 'evt_1', 'whe_1', '2026-11-24T10:00:05.000Z', 'rdl_1');
    // Assess
    expect(updatedKeys()).toEqual(Array.from({ length: 3 }, () => ({ pk: 'ten_1#EVT#evt_1', sk: 'DELIVERED#whe_1#rdl_1' })));
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { ConditionExpression: expect.stringContaining('attribute_not_exists(deliveredAt)') });
  });
});
