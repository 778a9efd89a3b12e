/**
 * `npm run load`: a steady load on the local runtime for LOAD_SECONDS (default 60): LOAD_WEBHOOK_RATE signed bank
 * webhooks a second (booked credits for prepared payments, one in ten a redelivery of an earlier one) and
 * LOAD_PAYMENT_RATE payment creations a second (each with its own Idempotency-Key), each request sent on its own
 * schedule and timed from when it was due (`openLoop`, bench/support.ts). Then it waits for every queue to drain and
 * checks what must hold: no 5xx; every accepted webhook's transaction stored once; every credited payment settled
 * once for exactly its amount; every account's settled balance = opening balance + its booked transactions; every
 * created payment stored once. Exits 1 if any of it fails. Figures go to bench/results/load.json and BENCHMARKS.md.
 *
 * The offered rate is capped: webhooks are accepted (queued) far faster than one 2-core machine running every
 * function and DynamoDB Local can reconcile them, and an uncapped run measures a backlog, not the system.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { Webhook } from 'standardwebhooks';
import { api, startRuntime } from '../infra/local/spawn-runtime';
import { type OpenLoopResult, openLoop, round } from './support';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const WEBHOOK_RATE = Number(process.env.LOAD_WEBHOOK_RATE ?? 12);
const PAYMENT_RATE = Number(process.env.LOAD_PAYMENT_RATE ?? 12);
const ACCOUNTS = 4;
const OPENING_MINOR = 100_000;

type Prepared = { id: string; reference: string; amount: string; account: { id: string; sortCode: string; accountNumber: string } };

const minor = (amount: string) => Number(amount.replace('.', ''));
const money = (value: number) => `${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')}`;

const listAll = async (client: ReturnType<typeof api>, path: string): Promise<Record<string, any>[]> => {
  const all: Record<string, any>[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = await client.get(`${path}${separator}limit=500${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
    all.push(...(page.body.data as Record<string, any>[]));
    cursor = page.body.nextCursor as string | null;
  } while (cursor !== null);
  return all;
};

const main = async () => {
  // The pipeline is measured, not the per-tenant rate limit (its own tests cover it): lift it for the run.
  const runtime = await startRuntime({ env: { SETTLED_SANDBOX_SETTLEMENT_DELAY_SECONDS: '0', POWERTOOLS_LOG_LEVEL: 'ERROR', SETTLED_TENANT_RATE_LIMIT_PER_SECOND: '100000' } });
  const failures: string[] = [];
  try {
    const created = await api(runtime.url, runtime.adminToken).post('/v1/admin/tenants', { name: 'Load' });
    const apiKey = String(created.body.apiKey);
    const client = api(runtime.url, apiKey);
    const post = (path: string, body: unknown) => client.post(path, body, { 'idempotency-key': randomUUID() });

    const accounts: Prepared['account'][] = [];
    for (let i = 0; i < ACCOUNTS; i += 1) {
      const accountNumber = String(30_000_000 + i);
      const account = await post('/v1/accounts', {
        provider: 'sandbox', name: `Load ${i}`, sortCode: '040004', accountNumber, currency: 'GBP', sandboxProfile: 'exact', openingBalance: money(OPENING_MINOR),
      });
      accounts.push({ id: String(account.body.id), sortCode: '040004', accountNumber });
    }

    // Enough open payments for every credit the webhook clients will send.
    const needed = Math.ceil(WEBHOOK_RATE * SECONDS * 1.1) + 50;
    const prepared: Prepared[] = [];
    const preparing = Array.from({ length: needed }, (_, i) => i);
    const setupStarted = Date.now();
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let i = preparing.shift(); i !== undefined; i = preparing.shift()) {
          const account = accounts[i % ACCOUNTS] ?? accounts[0];
          if (account === undefined) throw new Error('no account');
          const amount = money(1_000 + (i % 5_000));
          const payment = await post('/v1/payments', { accountId: account.id, direction: 'inbound', amount, currency: 'GBP' });
          if (payment.status !== 201) throw new Error(`preparing payment ${i}: ${payment.status}`);
          prepared.push({ id: String(payment.body.id), reference: String(payment.body.reference), amount, account });
        }
      }),
    );
    const setupSeconds = (Date.now() - setupStarted) / 1000;

    // Webhook clients: each request takes the next prepared payment; one in ten repeats an earlier credit.
    const webhook = new Webhook(runtime.sandboxWebhookSecret);
    let next = 0;
    const sent: { bankTransactionId: string; payment: Prepared }[] = [];
    const accepted = new Set<string>();
    let webhook5xx = 0;
    const webhookStatuses = new Map<number, number>();
    const buildCredit = () => {
      const redeliver = sent.length > 0 && (next >= prepared.length || Math.random() < 0.1);
      const credit = redeliver ? sent[Math.floor(Math.random() * sent.length)] : undefined;
      const chosen = credit ?? { bankTransactionId: `load-${next}`, payment: prepared[next] };
      if (credit === undefined) next += 1;
      if (chosen.payment === undefined) throw new Error('ran out of prepared payments');
      const entry = { bankTransactionId: chosen.bankTransactionId, payment: chosen.payment };
      if (credit === undefined) sent.push(entry);
      return entry;
    };

    const postWebhook = async () => {
      const credit = buildCredit();
      const body = JSON.stringify({
        type: 'transactions',
        account: { sortCode: credit.payment.account.sortCode, accountNumber: credit.payment.account.accountNumber },
        transactions: [
          {
            transactionId: credit.bankTransactionId,
            status: 'booked',
            creditDebitIndicator: 'credit',
            amount: credit.payment.amount,
            currency: 'GBP',
            bookingDateTime: new Date().toISOString(),
            reference: credit.payment.reference,
          },
        ],
      });
      const id = `msg_${randomUUID()}`;
      const now = new Date();
      const response = await fetch(`${runtime.url}/v1/bank-webhooks/sandbox`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': webhook.sign(id, now, body),
        },
        body,
      });
      await response.arrayBuffer();
      webhookStatuses.set(response.status, (webhookStatuses.get(response.status) ?? 0) + 1);
      if (response.status >= 500) webhook5xx += 1;
      if (response.status === 202) accepted.add(credit.bankTransactionId);
    };
    const webhookRun = openLoop({ rate: WEBHOOK_RATE, seconds: SECONDS, send: postWebhook });

    let payments5xx = 0;
    let paymentsCreated = 0;
    let paymentsSent = 0;
    const paymentStatuses = new Map<number, number>();
    const paymentRun = openLoop({
      rate: PAYMENT_RATE,
      seconds: SECONDS,
      send: async () => {
        paymentsSent += 1;
        const response = await fetch(`${runtime.url}/v1/payments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, 'idempotency-key': randomUUID() },
          body: JSON.stringify({ accountId: accounts[0]?.id, direction: 'inbound', amount: '12.34', currency: 'GBP', invoiceId: 'LOAD-NEW' }),
        });
        await response.arrayBuffer();
        paymentStatuses.set(response.status, (paymentStatuses.get(response.status) ?? 0) + 1);
        if (response.status >= 500) payments5xx += 1;
        if (response.status === 201) paymentsCreated += 1;
      },
    });

    const [webhookResult, paymentResult] = await Promise.all([webhookRun, paymentRun]);
    const drainStarted = Date.now();
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const idle = await fetch(`${runtime.url}/_local/idle`, { method: 'POST' });
      if (idle.status === 200) break;
    }
    const drainSeconds = (Date.now() - drainStarted) / 1000;

    // What must hold.
    if (webhook5xx + payments5xx > 0) failures.push(`${webhook5xx} webhook and ${payments5xx} payment answers were 5xx`);
    const stored = (await Promise.all(accounts.map((account) => listAll(client, `/v1/accounts/${account.id}/transactions`)))).flat();
    const storedIds = stored.map((transaction) => String(transaction.bankTransactionId));
    if (new Set(storedIds).size !== storedIds.length) failures.push('a bank transaction is stored twice');
    // Accepted ⊆ stored ⊆ sent (every request is answered before the checks).
    for (const id of accepted) if (!storedIds.includes(id)) failures.push(`accepted ${id} is not stored`);
    const sentIds = new Set(sent.map((credit) => credit.bankTransactionId));
    for (const id of storedIds) if (!sentIds.has(id)) failures.push(`${id} is stored but was never sent`);
    const credited = new Map(sent.filter((credit) => storedIds.includes(credit.bankTransactionId)).map((credit) => [credit.payment.id, credit.payment]));
    const allPayments = await listAll(client, '/v1/payments');
    const byId = new Map(allPayments.map((payment) => [String(payment.id), payment]));
    for (const [id, payment] of credited) {
      const current = byId.get(id);
      if (current?.status !== 'settled' || current.settlement?.amountSettled !== payment.amount || current.settlement?.transactionIds?.length !== 1) {
        failures.push(`${id} is ${String(current?.status)} with ${String(current?.settlement?.amountSettled)} from ${String(current?.settlement?.transactionIds?.length)} transactions, expected settled once with ${payment.amount}`);
      }
    }
    const positions = (await client.get('/v1/cash-position')).body.positions as Record<string, string>[];
    for (const account of accounts) {
      const booked = stored.filter((transaction) => transaction.accountId === account.id && transaction.status === 'booked');
      const expected = booked.reduce((sum, transaction) => sum + (transaction.creditDebitIndicator === 'credit' ? 1 : -1) * minor(String(transaction.amount)), OPENING_MINOR);
      const position = positions.find((candidate) => candidate.accountId === account.id);
      if (position?.settledBalance !== money(expected)) failures.push(`${account.id}: settled balance ${String(position?.settledBalance)}, expected ${money(expected)}`);
    }
    const newPayments = allPayments.filter((payment) => payment.invoiceId === 'LOAD-NEW').length;
    if (newPayments < paymentsCreated || newPayments > paymentsSent) {
      failures.push(`${newPayments} new payments stored for ${paymentsCreated} answered 201 of ${paymentsSent} sent`);
    }

    const summarise = (result: OpenLoopResult<void>, statuses: Map<number, number>) => ({
      requests: result.results.length,
      requestsPerSecond: round(result.results.length / SECONDS, 2),
      latencyMs: result.latencyMs,
      statuses: Object.fromEntries([...statuses].sort(([a], [b]) => a - b)),
      errors: result.failed,
      senderLagMaxMs: result.maxSendLagMs,
    });
    const report = {
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      command: `LOAD_SECONDS=${SECONDS} LOAD_WEBHOOK_RATE=${WEBHOOK_RATE} LOAD_PAYMENT_RATE=${PAYMENT_RATE} npm run load`,
      setup: { accounts: ACCOUNTS, preparedPayments: prepared.length, seconds: setupSeconds },
      bankWebhooks: { ...summarise(webhookResult, webhookStatuses), accepted: accepted.size, redeliveries: webhookResult.results.length - accepted.size },
      payments: { ...summarise(paymentResult, paymentStatuses), created: paymentsCreated },
      drainSeconds,
      checks: {
        webhooksSent: sent.length,
        transactionsStored: storedIds.length,
        paymentsSettledOnce: credited.size,
        newPaymentsSent: paymentsSent,
        newPaymentsStored: newPayments,
        failures,
      },
    };
    console.log(JSON.stringify(report, null, 2));
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/load.json', `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await runtime.stop();
  }
  if (failures.length > 0) {
    console.error(`FAILED:\n${failures.slice(0, 20).join('\n')}`);
    process.exitCode = 1;
  }
};

await main();
