import { GENERATED_REFERENCE_ALPHABET } from '../references';

/**
 * Generated references of payout items, derived instead of drawn one by one: `SP`, the batch's 7-character token,
 * the item's index in 3 characters and a check character, 13 upper-case alphanumerics (`SP7KQ2M9X0242F`-like).
 * 10,000 items need no 10,000 claims: the token is claimed once for the batch (a conditional write of its matching
 * key prefix), and the index makes each item's reference unique within it. `SP` never begins a single payment's
 * generated reference (`ST…`, references.ts), so the two kinds never collide.
 *
 * Check scheme as generateReference's: with v1…v10 the alphabet indexes of token and index characters and c the
 * check's, c makes 1·v1 + … + 10·v10 + 11·c ≡ 0 (mod 31); 31 is prime, so one wrong character or two swapped
 * neighbours are always detected.
 */
export const PAYOUT_REFERENCE_PREFIX = 'SP';
export const PAYOUT_TOKEN_LENGTH = 7;
const INDEX_LENGTH = 3;
const SIZE = GENERATED_REFERENCE_ALPHABET.length;
const CHECK_WEIGHT = PAYOUT_TOKEN_LENGTH + INDEX_LENGTH + 1;
const CHECK_INVERSE = Array.from({ length: SIZE }, (_, candidate) => candidate).find((candidate) => (CHECK_WEIGHT * candidate) % SIZE === 1) ?? 0;

const mod = (value: number, modulus: number): number => ((value % modulus) + modulus) % modulus;
const weighted = (indexes: readonly number[]): number => indexes.reduce((sum, index, position) => sum + (position + 1) * index, 0);

/** A new batch token from `randomIndex` (crypto.randomInt in production). */
export const payoutReferenceToken = (randomIndex: (exclusiveMax: number) => number): string =>
  Array.from({ length: PAYOUT_TOKEN_LENGTH }, () => GENERATED_REFERENCE_ALPHABET.charAt(randomIndex(SIZE))).join('');

/** The matching key the batch claims for its token: no other batch of the tenant can derive the same references. */
export const payoutTokenClaim = (token: string): string => `${PAYOUT_REFERENCE_PREFIX}${token}`;

/** Item `index`'s generated reference (index below 31³ = 29,791). */
export const payoutReference = (token: string, index: number): string => {
  if (!Number.isInteger(index) || index < 0 || index >= SIZE ** INDEX_LENGTH) throw new RangeError(`No payout reference for item ${index}`);
  const tokenIndexes = [...token].map((character) => GENERATED_REFERENCE_ALPHABET.indexOf(character));
  if (tokenIndexes.length !== PAYOUT_TOKEN_LENGTH || tokenIndexes.includes(-1)) throw new RangeError(`Not a payout reference token: ${token}`);
  const indexDigits = [Math.floor(index / SIZE ** 2) % SIZE, Math.floor(index / SIZE) % SIZE, index % SIZE];
  const body = [...tokenIndexes, ...indexDigits];
  const check = mod(-weighted(body) * CHECK_INVERSE, SIZE);
  return PAYOUT_REFERENCE_PREFIX + [...body, check].map((value) => GENERATED_REFERENCE_ALPHABET.charAt(value)).join('');
};

/** True only for a well-formed payout reference whose check character is right. */
export const isPayoutReference = (reference: string): boolean => {
  if (!reference.startsWith(PAYOUT_REFERENCE_PREFIX) || reference.length !== PAYOUT_REFERENCE_PREFIX.length + CHECK_WEIGHT) return false;
  const indexes = [...reference.slice(PAYOUT_REFERENCE_PREFIX.length)].map((character) => GENERATED_REFERENCE_ALPHABET.indexOf(character));
  return !indexes.includes(-1) && mod(weighted(indexes), SIZE) === 0;
};
