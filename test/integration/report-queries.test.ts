import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { exceptionItem } from '../../shared/adapters/dynamodb/exception-store';
import { tableAdapters } from '../../shared/adapters/dynamodb/repositories';
import { ulidIds } from '../../shared/adapters/system';
import { aPayment } from '../support/domain-fakes';
import { PERIOD_EXCEPTIONS } from '../support/reconciliation-period';
import { createTestTable } from './table';

/** The reconciliation report's bounded reads on DynamoDB Local: the key condition narrows them, both ends inclusive. */
describe('report queries on DynamoDB Local', () => {
  let adapters: ReturnType<typeof tableAdapters>;
  let table: Awaited<ReturnType<typeof createTestTable>>;
  const firstPage = { limit: 100, cursor: undefined };

  beforeAll(async () => {
    table = await createTestTable();
    adapters = tableAdapters(table.documentClient, table.tableName);
  });

  it('lists payments created at or before createdTo, newest first, with the other filters still applied', async () => {
    // Prepare
    const tenantId = ulidIds.next('ten');
    const created = ['2026-11-15T09:00:00.000Z', '2026-12-01T00:00:00.000Z', '2026-12-01T00:00:00.001Z', '2027-01-05T09:00:00.000Z'];
    for (const [index, createdAt] of created.entries()) {
      await adapters.payments.create(
        aPayment({ id: `pay_REPORTQUERY${index}`, tenantId, createdAt, reference: `REPORTQ ${index}`, bankPaymentId: `bp_${tenantId}_${index}`, status: index === 0 ? 'settled' : 'authorised' }),
      );
    }

    // Act
    const upToEnd = await adapters.payments.list(tenantId, { createdTo: '2026-12-01T00:00:00.000Z' }, firstPage);
    const settledUpToEnd = await adapters.payments.list(tenantId, { createdTo: '2026-12-01T00:00:00.000Z', status: 'settled' }, firstPage);

    // Assess
    expect(upToEnd.data.map((payment) => payment.createdAt)).toEqual(['2026-12-01T00:00:00.000Z', '2026-11-15T09:00:00.000Z']);
    expect(settledUpToEnd.data.map((payment) => payment.id)).toEqual(['pay_REPORTQUERY0']);
    expect((await adapters.payments.list(tenantId, {}, firstPage)).data).toHaveLength(4);
  });

  it('lists exceptions opened at or after createdFrom, with the other filters still applied', async () => {
    const tenantId = ulidIds.next('ten');
    for (const exception of PERIOD_EXCEPTIONS) {
      await table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: exceptionItem({ ...exception, tenantId }) }));
    }

    const fromNovember20 = await adapters.exceptions.list(tenantId, { createdFrom: '2026-11-20T12:00:00.000Z' }, firstPage);
    const openFromNovember20 = await adapters.exceptions.list(tenantId, { createdFrom: '2026-11-20T12:00:00.000Z', status: 'open' }, firstPage);

    expect(fromNovember20.data.map((exception) => exception.id)).toEqual(['exc_3', 'exc_2', 'exc_1']);
    expect(openFromNovember20.data.map((exception) => exception.id)).toEqual(['exc_2', 'exc_1']);
    expect((await adapters.exceptions.list(tenantId, {}, firstPage)).data).toHaveLength(5);
    // The open backlog as the report reads it: opened by a period's end, however long ago, still open.
    const openByNovember21 = await adapters.exceptions.list(tenantId, { createdTo: '2026-11-21T00:00:00.000Z', status: 'open' }, firstPage);
    expect(openByNovember21.data.map((exception) => exception.id)).toEqual(['exc_1', 'exc_0']);
  });
});
