import { decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import * as v from 'valibot';
import { UnauthorizedError, ValidationError } from '../../domain/errors';
import type { EventNotification, EventNotificationVerifier, EventPollingGateway, NotifiedEvent } from '../../domain/open-banking/ports';
import { BankSigningKeys, type BankKeySet } from './bank-keys';
import type { ObieClient } from './client';
import type { AspspRegistryEntry } from './configuration';

/**
 * Event notifications (Security Event Tokens a bank signs): verified against the JWKS of the bank whose `issuer` is
 * the token's `iss`, for pushes (`POST /v1/bank-webhooks/obie`) and for aggregated polling (`POST /events`) alike.
 */
export const RESOURCE_UPDATE = 'urn:uk:org:openbanking:events:resource-update';
export const CONSENT_AUTHORIZATION_REVOKED = 'urn:uk:org:openbanking:events:consent-authorization-revoked';
const OB_RID = 'http://openbanking.org.uk/rid';
const OB_RTY = 'http://openbanking.org.uk/rty';

export interface ObieEventVerifierOptions {
  /** Reads a bank's JWKS document. Default: GET the registry's jwksUri over HTTPS (no client certificate). */
  readonly fetchJwks?: (bank: AspspRegistryEntry) => Promise<unknown>;
  readonly now?: () => Date;
  /** Oldest `iat` accepted. Default 24 h. */
  readonly maxAgeSeconds?: number;
  /** Clock skew allowed on `iat` (and `exp` when present). Default 60 s. */
  readonly clockSkewSeconds?: number;
  /** A cached JWKS is re-read after this long. Default 1 h (a verifier with its own JWKS reader or timings keeps its own cache). */
  readonly jwksMaxAgeMs?: number;
  /** An unknown `kid` re-reads the JWKS at most once per bank in this interval (an attacker cannot make us hammer it). Default 60 s. */
  readonly jwksRefetchIntervalMs?: number;
}

const SubjectSchema = v.looseObject({
  [OB_RID]: v.pipe(v.string(), v.minLength(1)),
  [OB_RTY]: v.pipe(v.string(), v.minLength(1)),
});
const EventBodySchema = v.looseObject({ subject: v.optional(SubjectSchema), reason: v.optional(v.string()) });
const ClaimsSchema = v.looseObject({
  jti: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  iat: v.number(),
  events: v.pipe(
    v.record(v.string(), v.unknown()),
    v.check((events) => Object.keys(events).length > 0, 'events must name at least one event'),
  ),
});

const unauthorized = (message: string, cause?: unknown): UnauthorizedError => new UnauthorizedError(`Event notification rejected: ${message}`, { cause });

/** Parses a verified token's events; ValidationError when it is not an event notification Settled understands. */
export const parseEvents = (claims: JWTPayload): { jti: string; iat: number; events: NotifiedEvent[] } => {
  const parsed = v.safeParse(ClaimsSchema, claims);
  if (!parsed.success) {
    throw new ValidationError('Event notification is malformed', {
      details: parsed.issues.map((issue) => ({ path: v.getDotPath(issue) ?? '', message: issue.message })),
    });
  }
  const bodies = new Map<string, v.InferOutput<typeof EventBodySchema>>();
  for (const [type, body] of Object.entries(parsed.output.events)) {
    const event = v.safeParse(EventBodySchema, body);
    if (!event.success) {
      throw new ValidationError('Event notification is malformed', {
        details: event.issues.map((issue) => ({ path: `events.${type}.${v.getDotPath(issue) ?? ''}`, message: issue.message })),
      });
    }
    bodies.set(type, event.output);
  }
  // The v4.0 docs show a consent-authorization-revoked `{}` beside a resource-update of the same consent: an event
  // without its own subject is about the token's other subject.
  const anySubject = [...bodies.values()].find((body) => body.subject !== undefined)?.subject;
  const events: NotifiedEvent[] = [];
  for (const [type, body] of bodies) {
    const subject = body.subject ?? anySubject;
    if (type !== RESOURCE_UPDATE && type !== CONSENT_AUTHORIZATION_REVOKED) continue;
    if (subject === undefined) throw new ValidationError(`Event notification ${type} names no subject`, { details: [{ path: `events.${type}.subject`, message: 'required' }] });
    events.push(
      type === RESOURCE_UPDATE
        ? { kind: 'resource-update', resourceType: subject[OB_RTY], resourceId: subject[OB_RID] }
        : { kind: 'consent-authorization-revoked', resourceType: subject[OB_RTY], resourceId: subject[OB_RID], reason: body.reason ?? null },
    );
  }
  if (events.length === 0) throw new ValidationError('Event notification carries no event Settled handles', { details: [{ path: 'events', message: 'no resource-update or consent-authorization-revoked' }] });
  return { jti: parsed.output.jti, iat: parsed.output.iat, events };
};

/**
 * Verifies a bank's event notification: compact JWS, PS256 only, the key from the JWKS of the registry entry whose
 * `issuer` equals `iss` (cached; read again once on an unknown `kid`, at most once a minute per bank), `aud` = our
 * client id at that bank, `iat` not in the future beyond the skew and not older than the maximum age.
 */
export class ObieEventNotificationVerifier implements EventNotificationVerifier {
  private readonly now: () => Date;
  private readonly maxAgeSeconds: number;
  private readonly clockSkewSeconds: number;
  private readonly keys: BankSigningKeys;

  constructor(
    private readonly client: ObieClient,
    options: ObieEventVerifierOptions = {},
  ) {
    this.now = options.now ?? client.now;
    this.maxAgeSeconds = options.maxAgeSeconds ?? 24 * 60 * 60;
    this.clockSkewSeconds = options.clockSkewSeconds ?? 60;
    const keyOptions = {
      now: this.now,
      ...(options.jwksMaxAgeMs === undefined ? {} : { maxAgeMs: options.jwksMaxAgeMs }),
      ...(options.jwksRefetchIntervalMs === undefined ? {} : { refetchIntervalMs: options.jwksRefetchIntervalMs }),
    };
    // The client's key cache (shared with response-signature checks) unless the caller brings its own JWKS reader.
    this.keys = options.fetchJwks === undefined && options.jwksMaxAgeMs === undefined && options.jwksRefetchIntervalMs === undefined ? client.bankKeys : new BankSigningKeys(options.fetchJwks ?? ((bank) => client.fetchJwks(bank)), keyOptions);
  }

  async verify(jwt: string): Promise<EventNotification> {
    let unverified: JWTPayload;
    try {
      const header = decodeProtectedHeader(jwt);
      if (header.alg !== 'PS256') throw unauthorized(`alg ${String(header.alg)} is not PS256`);
      unverified = decodeJwt(jwt);
    } catch (error) {
      if (error instanceof UnauthorizedError) throw error;
      throw unauthorized('not a compact JWS', error);
    }
    const registry = await this.client.registry();
    const bank = registry.aspsps.find((entry) => entry.issuer === unverified.iss);
    if (bank === undefined) throw unauthorized('iss names no configured bank');

    let payload: JWTPayload;
    try {
      payload = await this.keys.withKeys(bank, async (keys: BankKeySet) => {
        const verified = await jwtVerify(jwt, keys, {
          algorithms: ['PS256'],
          issuer: bank.issuer,
          audience: bank.clientId,
          clockTolerance: this.clockSkewSeconds,
          maxTokenAge: this.maxAgeSeconds,
          currentDate: this.now(),
          requiredClaims: ['iat', 'jti'],
        });
        return verified.payload;
      });
    } catch (error) {
      throw unauthorized(error instanceof Error ? error.message : 'verification failed', error);
    }
    const iat = payload.iat ?? Number.NaN;
    if (!(iat <= this.now().getTime() / 1000 + this.clockSkewSeconds)) throw unauthorized('iat is in the future');

    const { jti, events } = parseEvents(payload);
    return { aspspId: bank.id, jti, issuedAt: new Date(iat * 1000).toISOString(), events };
  }
}

const PollingResponseSchema = v.object({ moreAvailable: v.boolean(), sets: v.record(v.string(), v.string()) });

/** The most a poll asks for at once. */
export const POLL_MAX_EVENTS = 50;

/**
 * Aggregated polling (`POST {resourceBaseUrl}/events`) with a client-credentials token: acknowledges the jtis Settled
 * has processed and returns the bank's queued notifications, each verified like a push. A notification that fails
 * verification is not returned: it is reported to the bank in `setErrs` on the next poll (not acknowledged).
 */
export class ObieEventPollingGateway implements EventPollingGateway {
  private readonly errors = new Map<string, Map<string, { err: string; description: string }>>();

  constructor(
    private readonly client: ObieClient,
    private readonly verifier: EventNotificationVerifier,
  ) {}

  async poll(aspspId: string, acknowledge: readonly string[]): Promise<{ readonly notifications: readonly EventNotification[]; readonly moreAvailable: boolean }> {
    const context = await this.client.context(aspspId);
    const pendingErrors = this.errors.get(aspspId) ?? new Map<string, { err: string; description: string }>();
    const body = {
      maxEvents: POLL_MAX_EVENTS,
      returnImmediately: true,
      ...(acknowledge.length === 0 ? {} : { ack: [...acknowledge] }),
      ...(pendingErrors.size === 0 ? {} : { setErrs: Object.fromEntries(pendingErrors) }),
    };
    // Events of both AIS and PIS resources: a client-credentials token with the `accounts` scope (the events API
    // accepts accounts, payments or fundsconfirmations; Settled's AIS consents are what produce most events).
    const response = await this.client.withClientToken(context, 'accounts', (accessToken) =>
      this.client.resource(context, { operation: 'CreateEvents', method: 'POST', path: '/events', body, accessToken }),
    );
    this.errors.delete(aspspId);
    const polled = this.client.parse(context, 'CreateEvents', PollingResponseSchema, response);
    const notifications: EventNotification[] = [];
    const errors = new Map<string, { err: string; description: string }>();
    for (const [jti, jwt] of Object.entries(polled.sets)) {
      try {
        const notification = await this.verifier.verify(jwt);
        if (notification.aspspId !== aspspId) throw new UnauthorizedError('Event notification rejected: signed by another bank');
        notifications.push(notification);
      } catch (error) {
        if (!(error instanceof UnauthorizedError) && !(error instanceof ValidationError)) throw error;
        errors.set(jti, { err: error instanceof UnauthorizedError ? 'authentication_failed' : 'invalid_request', description: error.message.slice(0, 256) });
      }
    }
    if (errors.size > 0) this.errors.set(aspspId, errors);
    return { notifications, moreAvailable: polled.moreAvailable };
  }
}
