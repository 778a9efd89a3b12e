import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ValidationError } from '../../domain/errors';

export interface CallbackUrlPolicyOptions {
  /** Local runtime only: allow http:// and loopback/private targets for development. */
  readonly allowPrivate: boolean;
}

const invalid = (message: string) => new ValidationError('The callback URL is not allowed.', { details: [{ path: 'url', message }] });

/** Private, loopback, link-local, metadata and other non-public addresses (IPv4, IPv6 and IPv4-mapped IPv6). */
export const isNonPublicAddress = (address: string): boolean => {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined) return isNonPublicAddress(mapped[1]);
  if (isIP(address) === 4) {
    const [a = 0, b = 0] = address.split('.').map(Number);
    return a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 198 && (b === 18 || b === 19)) || a >= 224;
  }
  const lower = address.toLowerCase();
  return lower === '::' || lower === '::1' || lower.startsWith('fc') || lower.startsWith('fd') || lower.startsWith('fe80') || lower.startsWith('ff');
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
