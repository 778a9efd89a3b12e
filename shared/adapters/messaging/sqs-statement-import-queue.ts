import type { SQSClient } from '@aws-sdk/client-sqs';
import type { StatementImportJob, StatementImportQueue } from '../../domain/statements/import-statement';
import { sendInBatches } from './sqs-settlement-queue';

export class SqsStatementImportQueue implements StatementImportQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(job: StatementImportJob): Promise<void> {
    await sendInBatches(this.client, this.queueUrl, [{ body: JSON.stringify(job), delaySeconds: 0 }]);
  }
}
