import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { bankGateways } from '../../../shared/adapters/bank-gateways';
import { obiePayments } from '../../../shared/adapters/open-banking-wiring';
import { anAccount, aPayment } from '../../support/domain-fakes';

/** The obie side: building it reads the registry and credentials secrets, so it must happen only when needed. */
const obie = vi.hoisted(() => ({ initiatePayment: vi.fn(async () => ({ bankPaymentId: 'obp_fromObie', authorisationUrl: 'https://api.settled.test/checkout/obp_fromObie' })) }));

vi.mock('../../../shared/adapters/open-banking-wiring', () => ({
  obiePayments: vi.fn(() => ({ gateway: obie })),
}));

const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-2' }));
const dynamo = mockClient(client);

describe('bankGateways', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    dynamo.reset();
    dynamo.on(PutCommand).resolves({});
  });

  it('pays through the sandbox for a sandbox account without ever building the Open Banking side', async () => {
    const gateway = bankGateways(client, 'settled-test', 'https://api.settled.test');
    const initiation = await gateway.initiatePayment(aPayment({ provider: 'sandbox' }), anAccount());
    expect(initiation.bankPaymentId).toMatch(/^sbp_[0-9a-f]{24}$/);
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, { TableName: 'settled-test' });
    expect(obiePayments).not.toHaveBeenCalled();
    expect(obie.initiatePayment).not.toHaveBeenCalled();
  });

  it('pays through Open Banking for an obie account, building that side once for every payment after', async () => {
    const gateway = bankGateways(client, 'settled-test', 'https://api.settled.test');
    const account = anAccount({ provider: 'obie', sandboxProfile: null, aspspId: 'mock-v4' });
    const first = await gateway.initiatePayment(aPayment({ provider: 'obie' }), account);
    await gateway.initiatePayment(aPayment({ id: 'pay_01JD0000000000000000000002', provider: 'obie' }), account);
    expect(first.bankPaymentId).toBe('obp_fromObie');
    expect(obiePayments).toHaveBeenCalledExactlyOnceWith(client, 'settled-test', 'https://api.settled.test');
    expect(obie.initiatePayment).toHaveBeenCalledTimes(2);
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });
});
