import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventBridgeEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import {
  type EventRule,
  type FunctionName,
  functions,
  eventRules,
  httpRoutes,
  type QueueName,
  queues,
  type ResourceAccess,
  schedules,
} from '../topology';
import { type AwsEndpoint, startAwsEndpoint } from './aws-endpoint';
import { type DynamoDbLocal, ensureTable, launchDynamoDbLocal } from './dynamodb-local';
import { createRouter, listen, readBody, toApiGatewayEvent, writeJson, writeResult } from './http-front';
import { environmentOf, isolateProcessEnvironment, localSharedEnvironment } from './function-environment';
import { type LocalFunction, loadFunction } from './lambda-host';
import { Journal, type JournalRecord, journalPathIn, liveRecords, type SentRecord } from './journal';
import { LocalEventBus } from './local-event-bus';
import { type LocalOpenBanking, startLocalOpenBanking } from './open-banking';
import { EventSourceMapping, LocalQueue } from './local-queue';
import { LatencyMonitor } from './latency';

export interface LocalRuntimeOptions {
  readonly port: number;
  /** Where DynamoDB Local keeps its files and the queues and event bus their journal; undefined keeps everything in memory. */
  readonly dataDir: string | undefined;
  readonly adminToken: string;
  readonly sandboxWebhookSecret: string;
  /** The GoCardless webhook endpoint secret the local bank-webhooks function verifies `Webhook-Signature` with. */
  readonly gocardlessWebhookSecret: string;
  /** SQS visibility timeout here; far shorter than on AWS so a failed message is retried within seconds. */
  readonly visibilityTimeoutMs: number;
  /** Real banks' registry and credentials files; unset: the mock banks (infra/local/obie). */
  readonly openBanking?: { readonly registryFile: string | undefined; readonly credentialsFile: string | undefined; readonly bookingDelayMs: number | undefined };
  /** How often the scheduled bank sync runs (EventBridge Scheduler on AWS); 0 turns it off. Default: its topology rate. */
  readonly bankSyncIntervalMs?: number;
  /**
   * A DynamoDB Local already running, and the table to use in it (created if missing), instead of starting one: only
   * with `dataDir` undefined. The e2e tests share one warm JVM this way (test/e2e/global-setup.ts).
   */
  readonly sharedDynamoDb?: { readonly endpoint: string; readonly tableName: string };
  readonly log: (line: string) => void;
}

export interface LocalRuntime {
  readonly url: string;
  readonly dynamoDbPid: number | undefined;
  /** The banks the functions talk to, for the banner: the mock banks, or the registry a developer gave. */
  readonly banks: readonly { readonly id: string; readonly name: string; readonly apiVersion: string; readonly authorizationEndpoint: string }[];
  /** Resolves once no queue holds a message and no event delivery is pending. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const TABLE_NAME = 'settled';
/** How long POST /_local/idle waits before answering 504 with what is still pending. */
const IDLE_WAIT_MS = 60_000;
const EVENT_BUS_NAME = 'settled-local';
/** API Gateway refuses larger payloads with 413. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** Statement files may be larger (API.md: up to 50 MB a file); on AWS see docs/statements.md. */
const MAX_STATEMENT_BYTES = 50 * 1024 * 1024;
const STATEMENT_FILES_BUCKET = 'settled-statement-files';
/** SQS refuses larger message bodies. */
const MAX_MESSAGE_BYTES = 256 * 1024;
/** The longest batching window here (settlements has 1 s on AWS): a burst still shares invocations, a lone message is not held. */
const MAX_BATCHING_WINDOW_MS = 10;
/** How long a clean stop lets in-flight work finish before it keeps the rest on disk for the next start. */
const DRAIN_WAIT_MS = 10_000;

/**
 * Runs the whole product on one machine: DynamoDB Local, the queues and event bus of infra/topology.ts emulated in
 * process, and an HTTP front that turns requests into API Gateway events for the same handler modules Lambda runs.
 * `/health` is delegated to its handler only once every part is up; until then everything answers 503.
 */
export const startLocalRuntime = async (options: LocalRuntimeOptions): Promise<LocalRuntime> => {
  const tableName = options.sharedDynamoDb?.tableName ?? TABLE_NAME;
  let ready = false;
  let stopping = false;
  const route = createRouter(httpRoutes);
  const loaded = new Map<FunctionName, LocalFunction>();
  const localQueues = new Map<string, LocalQueue>();
  let eventBus: LocalEventBus | undefined;
  const mappings: EventSourceMapping[] = [];
  const dynamoDbRequests = new Map<string, number>();
  /** `<function>.<command>`: which function made them (the runtime's own requests count as `runtime`). */
  const dynamoDbRequestsByFunction = new Map<string, number>();
  /** `<function>.<command>`: items touched (a transaction's or a batch's items; one otherwise), and items read strongly consistent. */
  const dynamoDbItemsByFunction = new Map<string, number>();
  const dynamoDbConsistentReadsByFunction = new Map<string, number>();
  /** Invocations per function and their summed wall time here (one process, shared cores: not Lambda's duration). */
  const invocations = new Map<string, { count: number; ms: number }>();
  let dynamoDb: DynamoDbLocal | undefined;
  let awsEndpoint: AwsEndpoint | undefined;
  let journal: Journal | undefined;
  let openBanking: LocalOpenBanking | undefined;
  let bankSyncTimer: NodeJS.Timeout | undefined;
  /** API requests being served (not /_local/ ones): a clean stop lets them finish. */
  let activeRequests = 0;
  const latency = new LatencyMonitor();

  const server: Server = await listen(options.port, async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://local').pathname;
    // While stopping, bank webhooks are still taken (the sandbox bank's sender posts them from inside this process,
    // and an accepted one is on disk before its 202); every other new request is turned away.
    const takenWhileStopping = path.startsWith('/_local/') || route(request.method ?? 'GET', path)?.route.function === 'bank-webhooks';
    if (!ready || (stopping && !takenWhileStopping)) {
      response.setHeader('retry-after', '5');
      writeJson(response, 503, { error: { code: 'unavailable', message: stopping ? 'Shutting down.' : 'Starting up.', details: [] } });
      return;
    }
    if (path.startsWith('/_local/')) {
      await serveLocalAdmin(path, request.method ?? 'GET', response, new URL(request.url ?? '/', 'http://local').searchParams, () => readBody(request, MAX_MESSAGE_BYTES));
      return;
    }
    const match = route(request.method ?? 'GET', path);
    const body = await readBody(request, match?.route.function === 'statements-api' ? MAX_STATEMENT_BYTES : MAX_PAYLOAD_BYTES);
    if (body === undefined) {
      writeJson(response, 413, { error: { code: 'payload_too_large', message: 'Request body too large.', details: [] } });
      return;
    }
    const fn = match === undefined ? undefined : loaded.get(match.route.function);
    if (match === undefined || fn === undefined) {
      writeJson(response, 404, { error: { code: 'route_not_found', message: `No route for ${request.method} ${path}.`, details: [] } });
      return;
    }
    activeRequests += 1;
    try {
      writeResult(response, await fn.invoke(toApiGatewayEvent(request, body, match.route, match.pathParameters)));
    } finally {
      activeRequests -= 1;
    }
  });

  const serveLocalAdmin = async (
    path: string,
    method: string,
    response: import('node:http').ServerResponse,
    query: URLSearchParams,
    requestBody: () => Promise<Buffer | undefined>,
  ) => {
    const queueAction = /^\/_local\/queues\/([^/]+)\/(redrive|messages)$/.exec(path);
    if (method === 'POST' && queueAction !== null) {
      const [, name = '', action] = queueAction;
      const queue = localQueues.get(name);
      // A redrive moves a DLQ's messages back to the queue it serves: `settlements-dlq` → `settlements`.
      const source = action === 'redrive' && name.endsWith('-dlq') ? localQueues.get(name.slice(0, -'-dlq'.length)) : undefined;
      if (queue === undefined || (action === 'redrive' && source === undefined)) {
        writeJson(response, 404, { error: { code: 'not_found', message: 'No such queue.', details: [] } });
      } else if (action === 'redrive' && source !== undefined) {
        const moved = queue.redriveTo(source);
        await queue.sync();
        writeJson(response, 200, { moved });
      } else {
        // Test-only injection, as SQS SendMessage would: the raw request body is the message body, byte for byte.
        const body = await requestBody();
        if (body === undefined) writeJson(response, 413, { error: { code: 'payload_too_large', message: 'Message body too large.', details: [] } });
        else {
          const messageId = queue.send(body.toString('utf8'));
          await queue.sync();
          writeJson(response, 200, { messageId });
        }
      }
    } else if (method === 'GET' && path === '/_local/queues') {
      writeJson(response, 200, { queues: [...localQueues.values()].map((queue) => queue.stats()) });
    } else if (method === 'GET' && path.startsWith('/_local/queues/')) {
      const queue = localQueues.get(path.slice('/_local/queues/'.length));
      if (queue === undefined) writeJson(response, 404, { error: { code: 'not_found', message: 'No such queue.', details: [] } });
      else writeJson(response, 200, { ...queue.stats(), messages: queue.peekAll() });
    } else if (method === 'GET' && path === '/_local/banks') {
      // Test control: the mock banks' URLs and their record of every breach of the specs by Settled.
      const mocks = openBanking?.mockBanks;
      writeJson(response, 200, { banks: mocks?.banks ?? [], violations: mocks?.violations() ?? [] });
    } else if (method === 'GET' && path === '/_local/stats') {
      const byCommand = Object.fromEntries(dynamoDbRequests);
      const total = [...dynamoDbRequests.values()].reduce((sum, count) => sum + count, 0);
      const sorted = (counts: Map<string, unknown>) => Object.fromEntries([...counts].sort());
      writeJson(response, 200, {
        dynamodb: {
          total,
          byCommand,
          byFunction: sorted(dynamoDbRequestsByFunction),
          items: sorted(dynamoDbItemsByFunction),
          consistentReads: sorted(dynamoDbConsistentReadsByFunction),
        },
        sqs: awsEndpoint?.counts.sqs,
        eventBridge: awsEndpoint?.counts.eventBridge,
        lambda: { invocations: sorted(invocations) },
      });
    } else if (method === 'POST' && path === '/_local/latency') {
      // Read and restart: the figures cover the time since the previous POST (a bench phase).
      writeJson(response, 200, latency.read());
    } else if (method === 'POST' && path === '/_local/idle') {
      // Bounded: a tenant endpoint that keeps failing keeps its deliveries retrying, and idle would never come.
      const waitMs = Math.min(IDLE_WAIT_MS, Math.max(0, Number(query.get('timeoutMs') ?? IDLE_WAIT_MS) || IDLE_WAIT_MS));
      const reached = await Promise.race([idle().then(() => true), new Promise<false>((resolveWait) => setTimeout(() => resolveWait(false), waitMs))]);
      writeJson(response, reached ? 200 : 504, {
        idle: reached,
        pendingDeliveries: eventBus?.pendingDeliveries ?? 0,
        queues: consumedQueues().map((queue) => queue.stats()),
      });
    } else {
      writeJson(response, 404, { error: { code: 'route_not_found', message: `No local route ${method} ${path}.`, details: [] } });
    }
  };

  const idle = async () => {
    for (;;) {
      await eventBus?.idle();
      await Promise.all(mappings.map((mapping) => mapping.idle()));
      const quiet =
        (eventBus?.pendingDeliveries ?? 0) === 0 &&
        mappings.every((mapping) => mapping.inFlightBatches === 0) &&
        consumedQueues().every((queue) => queue.size === 0);
      if (quiet) return;
      await new Promise((resolveTick) => setTimeout(resolveTick, 20));
    }
  };
  const consumedQueues = () =>
    (Object.keys(queues) as QueueName[])
      .filter((name) => queues[name].consumer !== undefined)
      .map((name) => localQueues.get(name))
      .filter((queue): queue is LocalQueue => queue !== undefined);

  /**
   * No request, batch or event delivery running, and nothing due now. Messages delayed into the future (the sandbox
   * bank's settlements, callback retries) and deliveries waiting out a backoff are not work in flight: they stay
   * in the journal for the next start.
   */
  const drained = async () => {
    for (;;) {
      const now = Date.now();
      const quiet =
        activeRequests === 0 &&
        mappings.every((mapping) => mapping.inFlightBatches === 0) &&
        consumedQueues().every((queue) => queue.stats(now).visible === 0) &&
        (eventBus?.busyDeliveries(now) ?? 0) === 0;
      if (quiet) return;
      await sleep(20);
    }
  };

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // The HTTP front stays open while in-flight work finishes (bounded): internal senders must find the door open.
    // In memory nothing outlives the process, so there it also waits for delayed messages that come due in time.
    await Promise.race([journal === undefined ? idle() : drained(), sleep(DRAIN_WAIT_MS)]);
    clearInterval(bankSyncTimer);
    for (const mapping of mappings) mapping.stop();
    eventBus?.stop();
    const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    // Whatever is still open (a long /_local/idle, a slow client) must not keep the process alive.
    server.closeAllConnections();
    await closed;
    await awsEndpoint?.close();
    const deadLetters = [...localQueues.values()].filter((queue) => queue.name.endsWith('-dlq')).reduce((sum, queue) => sum + queue.size, 0);
    const messages = [...localQueues.values()].filter((queue) => !queue.name.endsWith('-dlq')).reduce((sum, queue) => sum + queue.size, 0);
    const events = eventBus?.undeliveredEvents ?? 0;
    const held = `${messages} queue messages and ${events} events`;
    const dead = deadLetters === 0 ? '' : ` (and ${deadLetters} dead letters)`;
    try {
      await journal?.close();
      if (ready) options.log(journal === undefined ? `stopped: ${held} dropped (in memory)${dead}` : `stopped: ${held} kept for the next start${dead}`);
    } finally {
      for (const queue of localQueues.values()) queue.close();
      latency.stop();
      await openBanking?.stop();
      await dynamoDb?.stop();
    }
  };

  try {
    // DynamoDB Local's JVM boots (~3 s) while the journal, the emulators and the functions load: nothing below reads
    // the table before `tableReady`, awaited before any queue, rule or request can run a function.
    const { sharedDynamoDb } = options;
    if (sharedDynamoDb !== undefined && options.dataDir !== undefined) {
      throw new Error('A shared DynamoDB Local is for in-memory runs only: a data dir keeps its own DynamoDB Local beside the queue journal.');
    }
    let tableReady: Promise<void>;
    if (sharedDynamoDb === undefined) {
      const launched = await launchDynamoDbLocal({ dataDir: options.dataDir });
      dynamoDb = launched;
      tableReady = launched.ready.then(() => ensureTable(launched.endpoint, tableName));
    } else {
      dynamoDb = { endpoint: sharedDynamoDb.endpoint, pid: undefined, stop: () => Promise.resolve() };
      tableReady = ensureTable(sharedDynamoDb.endpoint, tableName);
    }
    tableReady.catch(() => undefined);

    // Queue messages and undelivered events live in a journal beside DynamoDB Local's files, written before a
    // producer is answered, so a crash loses nothing that was accepted (DESIGN.md §10).
    let restored: JournalRecord[] = [];
    if (options.dataDir !== undefined) {
      const opened = await Journal.open(journalPathIn(resolve(options.dataDir)), liveRecords);
      journal = opened.journal;
      restored = opened.live;
      if (opened.unreadable > 0) options.log(`journal: skipped ${opened.unreadable} unreadable records (a write cut short by a crash)`);
      const deadLetters = restored.filter((record) => record.t === 'sent' && record.queue.endsWith('-dlq')).length;
      const messages = restored.filter((record) => record.t === 'sent').length - deadLetters;
      const events = restored.filter((record) => record.t === 'event').length;
      const dead = deadLetters === 0 ? '' : ` (and ${deadLetters} dead letters)`;
      if (messages + events + deadLetters > 0) options.log(`restored ${messages} queue messages and ${events} events from the last run${dead}`);
    }
    const queueOptions = (name: string) => ({
      name,
      visibilityTimeoutMs: options.visibilityTimeoutMs,
      onFirstReceive: (waitedMs: number) => latency.record(`queue:${name}`, waitedMs),
      ...(journal === undefined ? {} : { journal }),
      restored: restored.filter((record): record is SentRecord => record.t === 'sent' && record.queue === name),
    });
    for (const [name, spec] of Object.entries(queues)) {
      const deadLetterQueue = new LocalQueue({ ...queueOptions(`${name}-dlq`), maxReceiveCount: undefined, deadLetterQueue: undefined });
      localQueues.set(deadLetterQueue.name, deadLetterQueue);
      localQueues.set(name, new LocalQueue({ ...queueOptions(name), maxReceiveCount: spec.maxReceiveCount, deadLetterQueue }));
    }
    const ruleDeadLetterQueue = (rule: EventRule): LocalQueue => {
      const name = `rule-${rule.name}-dlq`;
      let queue = localQueues.get(name);
      if (queue === undefined) {
        queue = new LocalQueue({ ...queueOptions(name), maxReceiveCount: undefined, deadLetterQueue: undefined });
        localQueues.set(name, queue);
      }
      return queue;
    };
    eventRules.forEach(ruleDeadLetterQueue);
    eventBus = new LocalEventBus({
      rules: eventRules,
      targetOf: (rule) => async (event: EventBridgeEvent<string, unknown>) => {
        const target = loaded.get(rule.target);
        if (target === undefined) throw new Error(`Function ${rule.target} is not loaded`);
        await target.invoke(event);
      },
      deadLetterQueueOf: ruleDeadLetterQueue,
      retryBaseDelayMs: 200,
      onFirstAttempt: (rule, waitedMs) => latency.record(`rule:${rule.name}`, waitedMs),
      onError: (error, rule) => options.log(`event rule ${rule.name}: delivery to ${rule.target} failed: ${describe(error)}`),
      ...(journal === undefined ? {} : { journal }),
      restored: restored.filter((record) => record.t === 'event' || record.t === 'attempted'),
    });
    const bus = eventBus;
    journal?.setSnapshotProvider(() => [...[...localQueues.values()].flatMap((queue) => queue.snapshot()), ...bus.snapshot()]);
    awsEndpoint = await startAwsEndpoint({
      queues: localQueues,
      eventBus,
      objectsDir: options.dataDir === undefined ? undefined : join(resolve(options.dataDir), 'objects'),
    });

    // What CDK sets on AWS (infra/constructs/settled-function.ts), pointed at the local parts: every function gets
    // the shared part, and a variable per access only if its topology entry grants it (function-environment.ts).
    const apiBaseUrl = `http://127.0.0.1:${options.port}`;
    openBanking = await startLocalOpenBanking({
      dataDir: options.dataDir,
      apiBaseUrl,
      registryFile: options.openBanking?.registryFile,
      credentialsFile: options.openBanking?.credentialsFile,
      bookingDelayMs: options.openBanking?.bookingDelayMs,
    });
    const localValues: Record<ResourceAccess, string> = {
      'table:read': tableName,
      'table:write': tableName,
      'settlements-queue:send': awsEndpoint.queueUrl(localQueues.get('settlements') ?? fail('settlements queue')),
      'sandbox-queue:send': awsEndpoint.queueUrl(localQueues.get('sandbox-bank') ?? fail('sandbox-bank queue')),
      'callback-queue:send': awsEndpoint.queueUrl(localQueues.get('callback-deliveries') ?? fail('callback-deliveries queue')),
      'event-bus:put': EVENT_BUS_NAME,
      'secret:admin-token': options.adminToken,
      'secret:sandbox-webhook': options.sandboxWebhookSecret,
      'secret:gocardless-webhook': options.gocardlessWebhookSecret,
      'api:base-url': apiBaseUrl,
      'bank-sync-queue:send': awsEndpoint.queueUrl(localQueues.get('bank-sync') ?? fail('bank-sync queue')),
      'statement-import-queue:send': awsEndpoint.queueUrl(localQueues.get('statement-imports') ?? fail('statement-imports queue')),
      'payouts-queue:send': awsEndpoint.queueUrl(localQueues.get('payouts') ?? fail('payouts queue')),
      'statement-files:write': STATEMENT_FILES_BUCKET,
      'statement-files:read': STATEMENT_FILES_BUCKET,
      'token-key:use': openBanking.tokenSealingKey,
      'secret:aspsp-registry': JSON.stringify(openBanking.registry),
      'secret:tpp-credentials': JSON.stringify(openBanking.credentials),
    };
    const sharedEnvironment = localSharedEnvironment({ dynamoDb: dynamoDb.endpoint, sqs: awsEndpoint.url, eventBridge: awsEndpoint.url, s3: awsEndpoint.url });
    isolateProcessEnvironment();

    for (const name of Object.keys(functions) as FunctionName[]) {
      // Lambda names the function in AWS_LAMBDA_FUNCTION_NAME; here it also tells the request counter whose request it is.
      const environment = { ...environmentOf(functions[name], localValues, sharedEnvironment), AWS_LAMBDA_FUNCTION_NAME: `settled-local-${name}` };
      loaded.set(name, countedInvocations(await loadFunction(name, environment), invocations, latency));
    }
    // The handlers share this module's DynamoDB client; count its requests for /_local/stats (npm run bench).
    const { dynamoDbDocumentClient } = await import('../../shared/adapters/dynamodb/client');
    dynamoDbDocumentClient.middlewareStack.add(
      (next, context) => async (args) => {
        const command = context.commandName ?? 'unknown';
        dynamoDbRequests.set(command, (dynamoDbRequests.get(command) ?? 0) + 1);
        const fn = `${(process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'runtime').replace(/^settled-local-/, '')}.${command.replace(/Command$/, '')}`;
        dynamoDbRequestsByFunction.set(fn, (dynamoDbRequestsByFunction.get(fn) ?? 0) + 1);
        const { items, consistent } = itemsOf(args.input);
        dynamoDbItemsByFunction.set(fn, (dynamoDbItemsByFunction.get(fn) ?? 0) + items);
        if (consistent > 0) dynamoDbConsistentReadsByFunction.set(fn, (dynamoDbConsistentReadsByFunction.get(fn) ?? 0) + consistent);
        const started = performance.now();
        try {
          return await next(args);
        } finally {
          latency.record(`dynamodb:${command.replace(/Command$/, '')}`, performance.now() - started);
        }
      },
      { step: 'initialize', name: 'settledLocalRequestCounter' },
    );
    dynamoDbDocumentClient.middlewareStack.add(
      (next) => async (args) => {
        const started = performance.now();
        try {
          return await next(args);
        } finally {
          latency.record('dynamodb-http', performance.now() - started);
        }
      },
      { step: 'deserialize', name: 'settledLocalHttpTimer', priority: 'low' },
    );

    await tableReady;
    for (const [name, spec] of Object.entries(queues) as [QueueName, (typeof queues)[QueueName]][]) {
      const consumer: FunctionName | undefined = spec.consumer;
      if (consumer === undefined) continue;
      const fn = loaded.get(consumer) ?? fail(`function ${consumer}`);
      mappings.push(
        new EventSourceMapping(localQueues.get(name) ?? fail(`queue ${name}`), (event: SQSEvent) => fn.invoke(event) as Promise<SQSBatchResponse | void>, {
          batchSize: spec.batchSize,
          // The queue's own window, shortened: none where AWS has none, so a send wakes the poller at once.
          maxBatchingWindowMs: Math.min(MAX_BATCHING_WINDOW_MS, spec.maxBatchingWindowSeconds * 1000),
          concurrency: 4,
          invocationTimeoutMs: functions[consumer].timeoutSeconds * 1000,
          onError: (error) => options.log(`queue ${name}: ${consumer} failed the whole batch: ${describe(error)}`),
        }),
      );
    }
    eventBus.resume();
    // The scheduled catch-up (EventBridge Scheduler on AWS): banks that send no events are still read.
    const sweep = schedules['bank-sync-sweep'];
    const bankSyncQueue = localQueues.get(sweep.queue) ?? fail(`${sweep.queue} queue`);
    const interval = options.bankSyncIntervalMs ?? sweep.everyMinutes * 60_000;
    if (interval > 0) bankSyncTimer = setInterval(() => bankSyncQueue.send(JSON.stringify(sweep.message)), interval);
    bankSyncTimer?.unref();
    ready = true;
  } catch (error) {
    await stop();
    throw error;
  }

  const banks = (openBanking?.registry.aspsps ?? []).map(({ id, name, apiVersion, authorizationEndpoint }) => ({ id, name, apiVersion, authorizationEndpoint }));
  return { url: `http://127.0.0.1:${options.port}`, dynamoDbPid: dynamoDb.pid, banks, idle, stop };
};

/** Counts a function's invocations and their wall time, whatever invokes it (the HTTP front, a queue, the event bus). */
const countedInvocations = (fn: LocalFunction, counts: Map<string, { count: number; ms: number }>, latency: LatencyMonitor): LocalFunction => ({
  name: fn.name,
  invoke: async (event) => {
    const started = performance.now();
    try {
      return await fn.invoke(event);
    } finally {
      latency.record(`function:${fn.name}`, performance.now() - started);
      const counted = counts.get(fn.name) ?? { count: 0, ms: 0 };
      counts.set(fn.name, { count: counted.count + 1, ms: Math.round((counted.ms + performance.now() - started) * 10) / 10 });
    }
  },
});

const lengthOf = (value: unknown): number => (Array.isArray(value) ? value.length : 0);

/**
 * The items one DynamoDB request touches, as billing counts them: a transaction's items, a batch's keys or
 * requests, else one; and how many of them are read strongly consistent (ConsistentRead, per table in a batch).
 */
export const itemsOf = (input: unknown): { items: number; consistent: number } => {
  if (typeof input !== 'object' || input === null) return { items: 1, consistent: 0 };
  const transactItems = Reflect.get(input, 'TransactItems');
  if (Array.isArray(transactItems)) return { items: transactItems.length, consistent: 0 };
  const requestItems: unknown = Reflect.get(input, 'RequestItems');
  if (typeof requestItems === 'object' && requestItems !== null) {
    let items = 0;
    let consistent = 0;
    for (const perTable of Object.values(requestItems)) {
      if (Array.isArray(perTable)) items += perTable.length; // BatchWriteItem: one request per item
      else if (typeof perTable === 'object' && perTable !== null) {
        const keys = lengthOf(Reflect.get(perTable, 'Keys'));
        items += keys;
        if (Reflect.get(perTable, 'ConsistentRead') === true) consistent += keys;
      }
    }
    return { items, consistent };
  }
  return { items: 1, consistent: Reflect.get(input, 'ConsistentRead') === true ? 1 : 0 };
};

const fail = (what: string): never => {
  throw new Error(`Local runtime wiring error: missing ${what}`);
};

const describe = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
