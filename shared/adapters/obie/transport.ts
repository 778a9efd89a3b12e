import { createHash } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { Agent, request } from 'undici';

/**
 * The HTTP the Open Banking adapter speaks, behind a small interface so the unit tests capture (and validate) every
 * request it builds. The real transport is undici 7: one `Agent` per bank and TLS identity, with mutual TLS (the
 * TPP transport certificate) for the token and resource endpoints, the bank's CA trusted beside the system's.
 */
export interface ObieHttpRequest {
  /** The registry id of the bank being called (agents are per bank). */
  readonly aspspId: string;
  /** What the adapter was doing, for errors and logs: `CreateDomesticPayments`, `token`, `jwks`. */
  readonly operation: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The exact body bytes (JSON or form), as signed. */
  readonly body?: string;
  readonly tls: {
    /** Extra CA certificates (PEM) for the bank's server certificate, beyond the system's. */
    readonly serverCaPem?: string;
    /** The client certificate and key for mutual TLS; absent for the JWKS (no client certificate needed). */
    readonly clientCertificatePem?: string;
    readonly clientKeyPem?: string;
  };
}

export interface ObieHttpResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface ObieTransport {
  send(request: ObieHttpRequest): Promise<ObieHttpResponse>;
}

export interface UndiciObieTransportOptions {
  /** Whole-request timeout (connect, headers and body), ms. Default 15 s. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** The network transport: undici `request` through an `Agent` per bank and TLS identity. */
export class UndiciObieTransport implements ObieTransport {
  private readonly agents = new Map<string, Agent>();
  private readonly timeoutMs: number;

  constructor(options: UndiciObieTransportOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  private agentFor(input: ObieHttpRequest): Agent {
    // Keyed by bank and by the TLS material itself, so rotated certificates get a fresh agent.
    const identity = createHash('sha256')
      .update(input.tls.serverCaPem ?? '')
      .update('\0')
      .update(input.tls.clientCertificatePem ?? '')
      .update('\0')
      .update(input.tls.clientKeyPem ?? '')
      .digest('hex');
    const key = `${input.aspspId}:${identity}`;
    let agent = this.agents.get(key);
    if (agent === undefined) {
      agent = new Agent({
        connect: {
          ...(input.tls.serverCaPem === undefined ? {} : { ca: [...rootCertificates, input.tls.serverCaPem] }),
          ...(input.tls.clientCertificatePem === undefined ? {} : { cert: input.tls.clientCertificatePem }),
          ...(input.tls.clientKeyPem === undefined ? {} : { key: input.tls.clientKeyPem }),
          timeout: this.timeoutMs,
        },
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      this.agents.set(key, agent);
    }
    return agent;
  }

  async send(input: ObieHttpRequest): Promise<ObieHttpResponse> {
    const response = await request(input.url, {
      method: input.method,
      headers: { ...input.headers },
      ...(input.body === undefined ? {} : { body: input.body }),
      dispatcher: this.agentFor(input),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const body = await response.body.text();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: response.statusCode, headers, body };
  }

  /** Closes every agent (tests, shutdown). */
  async close(): Promise<void> {
    const agents = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(agents.map((agent) => agent.close()));
  }
}
