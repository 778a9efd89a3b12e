/**
 * The one description of how Settled is wired: which functions exist, which HTTP routes reach them, which queues
 * feed them and which domain events are routed to them. The CDK stacks declare AWS resources from it and the local
 * runtime routes requests, queue messages and events from it, so the two cannot drift apart.
 *
 * Pure data: no aws-cdk-lib import, so the local runtime loads it without the CDK.
 */

/** What a function may touch; the CDK turns each grant into least-privilege IAM and an environment variable. */
export type ResourceAccess =
  | 'table:read'
  | 'table:write'
  | 'settlements-queue:send'
  | 'event-bus:put'
  | 'secret:admin-token'
  | 'secret:sandbox-webhook';

export interface FunctionSpec {
  /** One line for the Lambda console. */
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly access: readonly ResourceAccess[];
}

export const functions = {
  health: {
    description: 'GET /health and the catch-all route that answers unknown routes in the contract error shape',
    timeoutSeconds: 5,
    memoryMb: 256,
    access: ['table:read'],
  },
  'admin-api': {
    description: 'Operator API: tenants and their API keys',
    timeoutSeconds: 10,
    memoryMb: 512,
    access: ['table:read', 'table:write', 'secret:admin-token'],
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** An HTTP API route. `path` uses API Gateway's `{param}` syntax; `$default` catches every unmatched request. */
export interface HttpRoute {
  readonly method: HttpMethod | 'ANY';
  readonly path: string;
  readonly function: FunctionName;
}

export const DEFAULT_ROUTE_PATH = '$default';

export const httpRoutes: readonly HttpRoute[] = [
  { method: 'GET', path: '/health', function: 'health' },
  { method: 'POST', path: '/v1/admin/tenants', function: 'admin-api' },
  { method: 'GET', path: '/v1/admin/tenants/{tenantId}', function: 'admin-api' },
  { method: 'ANY', path: DEFAULT_ROUTE_PATH, function: 'health' },
];

/** The API Gateway route key a handler sees in `event.routeKey`. */
export const routeKeyOf = (route: Pick<HttpRoute, 'method' | 'path'>): string =>
  route.path === DEFAULT_ROUTE_PATH ? DEFAULT_ROUTE_PATH : `${route.method} ${route.path}`;

export interface QueueSpec {
  /** Function that consumes the queue through an SQS event source with partial batch responses. */
  readonly consumer: FunctionName | undefined;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /** Receives before a message is moved to the dead-letter queue. */
  readonly maxReceiveCount: number;
}

export const queues = {
  settlements: {
    consumer: undefined,
    batchSize: 10,
    maxBatchingWindowSeconds: 1,
    maxReceiveCount: 5,
  },
} as const satisfies Record<string, QueueSpec>;

export type QueueName = keyof typeof queues;

/** SQS visibility must outlast every retry of one receive by the consumer (AWS's guidance: 6× its timeout). */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** An EventBridge rule on the domain event bus: events whose detail-type is listed go to `target`. */
export interface EventRule {
  readonly name: string;
  readonly detailTypes: readonly string[];
  readonly target: FunctionName;
  /** Asynchronous invocation retries before the event is dead-lettered. */
  readonly retryAttempts: number;
  readonly maxEventAgeSeconds: number;
}

/** `source` of every Settled domain event (DESIGN.md §6). */
export const EVENT_SOURCE = 'settled';

export const eventRules: readonly EventRule[] = [];
