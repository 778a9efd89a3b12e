import { randomBytes } from 'node:crypto';
import type { Clock, IdGenerator, IdPrefix, SecretGenerator } from '../domain/ports';

export const systemClock: Clock = { now: () => new Date() };

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * ULID-shaped ids (48-bit millisecond time + 80 random bits, Crockford base32) behind a type prefix: sortable by
 * creation time, unguessable, and safe in URLs and DynamoDB keys.
 */
export const ulidIds: IdGenerator = {
  next(prefix: IdPrefix): string {
    let time = Date.now();
    let timePart = '';
    for (let i = 0; i < 10; i += 1) {
      timePart = CROCKFORD.charAt(time % 32) + timePart;
      time = Math.floor(time / 32);
    }
    const random = randomBytes(16);
    let randomPart = '';
    for (let i = 0; i < 16; i += 1) randomPart += CROCKFORD.charAt((random[i] ?? 0) % 32);
    return `${prefix}_${timePart}${randomPart}`;
  },
};

export const cryptoSecrets: SecretGenerator = {
  randomToken: (bytes: number) => randomBytes(bytes).toString('base64url'),
};
