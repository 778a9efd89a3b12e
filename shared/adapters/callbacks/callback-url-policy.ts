import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ValidationError } from '../../domain/errors';

export interface CallbackUrlPolicyOptions {
  /**
   * The local runtime only (SETTLED_ALLOW_PRIVATE_CALLBACKS=true): allow http:// and loopback targets (127.0.0.0/8,
   * ::1, localhost) for development. Private, link-local, metadata and other non-public addresses stay refused.
   */
  readonly allowLoopback: boolean;
}

/** The loopback ranges the local runtime may call, in the form request-filtering-agent's allow list takes. */
export const LOOPBACK_ALLOW_LIST: readonly string[] = ['::1', '127.0.0.0/8'];

const refused = (message: string) => new ValidationError('The callback URL is not allowed.', { details: [{ path: 'url', message }] });

/** What ipaddr.js calls a range, in words a developer reads in a 400. */
const RANGE_NAMES: Readonly<Record<string, string>> = {
  private: 'a private network address (10/8, 172.16/12, 192.168/16)',
  linkLocal: 'a link-local address (169.254/16, where cloud metadata lives, or fe80::/10)',
  carrierGradeNat: 'a carrier-grade NAT address (100.64/10)',
  uniqueLocal: 'a private IPv6 address (fc00::/7)',
  unspecified: 'the unspecified address (0.0.0.0 or ::)',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  reserved: 'a reserved address',
  loopback: 'a loopback address (allowed only on the local runtime)',
};

/**
 * Why an address may not receive callbacks, or undefined if it may: only public unicast addresses, plus loopback
 * when allowed. IPv4-mapped IPv6 (`::ffff:a9fe:a9fe`) is judged as the IPv4 address it carries.
 */
export const addressRefusal = (address: string, options: CallbackUrlPolicyOptions): string | undefined => {
  if (!ipaddr.isValid(address)) return `url must point at a valid address (${address} is not one)`;
  const parsed = ipaddr.parse(address);
  const effective = parsed.kind() === 'ipv6' && parsed.range() === 'ipv4Mapped' ? ipaddr.process(address) : parsed;
  const range = effective.range();
  if (range === 'unicast') return undefined;
  if (range === 'loopback' && options.allowLoopback) return undefined;
  const mapped = effective === parsed ? '' : ` (IPv4-mapped ${effective.toString()})`;
  if (effective.toString() === '169.254.169.254') return `url must not point at the cloud metadata address: ${address}${mapped}`;
  return `url must not point at ${RANGE_NAMES[range] ?? `a ${range} address`}: ${address}${mapped}`;
};

/** True for anything a production callback may not reach (every address but public unicast). */
export const isNonPublicAddress = (address: string): boolean => addressRefusal(address, { allowLoopback: false }) !== undefined;

/**
 * Checks a tenant callback target, at registration (a 400 naming the rule) and again before each delivery:
 * https only (http too on the local runtime), no credentials in the URL (they would be sent on as Basic auth), and
 * no host that is or resolves to a non-public address (SSRF) — loopback allowed on the local runtime only.
 * The connection itself is checked again (request-filtering-agent), so DNS rebinding does not get through.
 */
export const assertCallbackTarget = async (url: URL, options: CallbackUrlPolicyOptions): Promise<void> => {
  // The rules that hold everywhere first, so the 400 names the one that matters whatever the runtime.
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refused('url must be an https URL');
  if (url.username !== '' || url.password !== '') throw refused('url must not carry credentials (user:password@); authenticate with the webhook signature');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) !== 0 ? [host] : (await lookup(host, { all: true, verbatim: true }).catch(() => [])).map((entry) => entry.address);
  if (addresses.length === 0) throw refused(`url host ${host} does not resolve`);
  for (const address of addresses) {
    const refusal = addressRefusal(address, options);
    if (refusal !== undefined) throw refused(isIP(host) !== 0 ? refusal : `${refusal} (${host} resolves to it)`);
  }
  if (url.protocol !== 'https:' && !options.allowLoopback) throw refused('url must use https');
};
