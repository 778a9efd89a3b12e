import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ValidationError } from '../../domain/errors';

export interface CallbackUrlPolicyOptions {
  /** Local runtime only: allow http:// and loopback/private targets for development. */
  readonly allowPrivate: boolean;
}

const invalid = (message: string) => new ValidationError('The callback URL is not allowed.', { details: [{ path: 'url', message }] });

/**
 * Anything but a public unicast address: private, loopback, link-local (metadata 169.254.169.254), carrier-grade
 * NAT, reserved, multicast, unspecified — IPv4, IPv6 and IPv4-mapped IPv6 in any notation. The ranges come from
 * ipaddr.js, the same table request-filtering-agent refuses at connect time.
 */
export const isNonPublicAddress = (address: string): boolean => {
  if (!ipaddr.isValid(address)) return true;
  return ipaddr.process(address).range() !== 'unicast';
};

/**
 * Checks a tenant callback target: https only, and no host that is or resolves to a non-public address (SSRF),
 * unless the local runtime allows private targets. Checked at registration and again before each delivery.
 */
export const assertCallbackTarget = async (url: URL, options: CallbackUrlPolicyOptions): Promise<void> => {
  if (options.allowPrivate) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('must be an http(s) URL');
    return;
  }
  if (url.protocol !== 'https:') throw invalid('must use https');
  if (url.username !== '' || url.password !== '') throw invalid('must not carry credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) !== 0 ? [host] : (await lookup(host, { all: true, verbatim: true }).catch(() => [])).map((entry) => entry.address);
  if (addresses.length === 0) throw invalid(`host ${host} does not resolve`);
  if (addresses.some(isNonPublicAddress)) throw invalid('must not point at a private, loopback, link-local or metadata address');
};
