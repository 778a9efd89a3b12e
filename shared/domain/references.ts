import { ValidationError } from './errors';

/**
 * Payment references (docs/architecture.md §5). Faster Payments and Bacs carry 18 characters from a small
 * character set; on the way back banks upper-case them, strip or replace punctuation, truncate them and often put
 * them only in the narrative. So every payment stores a normalised `matchingKey`, and every bank transaction offers
 * the `candidateKeys` its reference and narrative could hold.
 */

/** Longest reference the UK schemes carry. */
export const REFERENCE_MAX_LENGTH = 18;

/** Punctuation allowed in a reference besides A–Z, a–z and 0–9 (space included). */
export const REFERENCE_PUNCTUATION = " /-?:().,'+&";

/** Every character the schemes accept in a reference. */
export const REFERENCE_CHARACTERS = `ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789${REFERENCE_PUNCTUATION}`;

const REFERENCE_CHARACTER_SET: ReadonlySet<string> = new Set(REFERENCE_CHARACTERS);
const ALLOWED_DESCRIPTION = "A–Z, a–z, 0–9, space and / - ? : ( ) . , ' + &";

/**
 * Returns a tenant-supplied reference unchanged when the schemes can carry it; otherwise throws a ValidationError
 * whose single detail (on `path`) names the first rule broken: empty, blank, longer than 18 characters, a
 * character outside the scheme set (with its 1-based position), or a leading or trailing space.
 */
export const validateTenantReference = (reference: string, path = 'reference'): string => {
  const broken = brokenReferenceRule(reference);
  if (broken !== undefined) {
    throw new ValidationError('The reference is invalid.', { details: [{ path, message: broken }] });
  }
  return reference;
};

const brokenReferenceRule = (reference: string): string | undefined => {
  if (reference === '') return 'must not be empty';
  if (reference.trim() === '') return 'must not be blank';
  // Code points, not UTF-16 units, so an emoji counts (and is reported) as one character.
  const characters = [...reference];
  if (characters.length > REFERENCE_MAX_LENGTH) {
    return `is ${characters.length} characters long; the maximum is ${REFERENCE_MAX_LENGTH}`;
  }
  const offending = characters.findIndex((character) => !REFERENCE_CHARACTER_SET.has(character));
  if (offending !== -1) {
    const character = characters[offending] ?? '';
    const codePoint = (character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    return `contains ${JSON.stringify(character)} (U+${codePoint}) at position ${offending + 1}; only ${ALLOWED_DESCRIPTION} are allowed`;
  }
  if (reference.startsWith(' ') || reference.endsWith(' ')) return 'must not start or end with a space';
  return undefined;
};

/** Characters of generated references: upper-case alphanumerics without 0 O 1 I L. 31 of them, a prime. */
export const GENERATED_REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const GENERATED_REFERENCE_PREFIX = 'ST';
const GENERATED_BODY_LENGTH = 8;
const ALPHABET_SIZE = GENERATED_REFERENCE_ALPHABET.length;
/** Weight of the check character (position 9); its inverse modulo 31 solves for the check value (9 × 7 ≡ 1). */
const CHECK_WEIGHT = GENERATED_BODY_LENGTH + 1;
const CHECK_WEIGHT_INVERSE = Array.from({ length: ALPHABET_SIZE }, (_, candidate) => candidate).find(
  (candidate) => (CHECK_WEIGHT * candidate) % ALPHABET_SIZE === 1,
) ?? 0;
const GENERATED_REFERENCE_PATTERN = new RegExp(
  `^${GENERATED_REFERENCE_PREFIX}[${GENERATED_REFERENCE_ALPHABET}]{${GENERATED_BODY_LENGTH + 1}}$`,
);

/**
 * A new reference built to survive banks: `ST`, 8 random characters of GENERATED_REFERENCE_ALPHABET and a check
 * character, 11 upper-case alphanumerics in all (`ST7KQ2M9XR4`). `randomIndex(n)` must return a uniform integer in
 * [0, n): crypto.randomInt in production, a fixed sequence in tests.
 *
 * Check scheme: with v1…v8 the body's alphabet indexes and c the check's, c is chosen so that
 * 1·v1 + 2·v2 + … + 8·v8 + 9·c ≡ 0 (mod 31). Because 31 is prime, every weight 1…9 is invertible, so changing one
 * character changes the sum by w·(v′ − v) ≢ 0; swapping neighbours i, i+1 changes it by v(i) − v(i+1) ≢ 0 unless they
 * are equal (then nothing changed). Hence every single substitution and adjacent transposition over the nine
 * characters after `ST` is detected.
 */
export const generateReference = (randomIndex: (exclusiveMax: number) => number): string => {
  const body: number[] = [];
  for (let position = 0; position < GENERATED_BODY_LENGTH; position += 1) {
    const index = randomIndex(ALPHABET_SIZE);
    if (!Number.isInteger(index) || index < 0 || index >= ALPHABET_SIZE) {
      throw new RangeError(`randomIndex(${ALPHABET_SIZE}) returned ${index}, not an integer in [0, ${ALPHABET_SIZE})`);
    }
    body.push(index);
  }
  const check = mod(-weightedSum(body) * CHECK_WEIGHT_INVERSE, ALPHABET_SIZE);
  return GENERATED_REFERENCE_PREFIX + [...body, check].map((index) => GENERATED_REFERENCE_ALPHABET.charAt(index)).join('');
};

/** True only for a well-formed generated reference (see generateReference) whose check character is right. */
export const isGeneratedReference = (reference: string): boolean => {
  if (!GENERATED_REFERENCE_PATTERN.test(reference)) return false;
  const indexes = [...reference.slice(GENERATED_REFERENCE_PREFIX.length)].map((character) =>
    GENERATED_REFERENCE_ALPHABET.indexOf(character),
  );
  return mod(weightedSum(indexes), ALPHABET_SIZE) === 0;
};

/** Σ (i + 1) · indexes[i]: weights 1…8 for the body and 9 for the check character. */
const weightedSum = (indexes: readonly number[]): number =>
  indexes.reduce((sum, index, position) => sum + (position + 1) * index, 0);

const mod = (value: number, modulus: number): number => ((value % modulus) + modulus) % modulus;

/**
 * The normalised key stored for every payment and computed for every bank transaction: ASCII letters upper-cased,
 * everything but A–Z and 0–9 removed (`"inv-2024/0042 "` → `"INV20240042"`). Only ASCII is upper-cased, so
 * characters such as `ß` or `ı` are dropped rather than turned into look-alike letters.
 */
export const matchingKey = (reference: string): string => reference.replace(/[^A-Za-z0-9]+/g, '').toUpperCase();

/** At most this many keys are offered per transaction, whatever its length. */
export const MAX_CANDIDATE_KEYS = 64;
/** Shorter keys identify nothing (and would match far too much). */
export const MIN_CANDIDATE_KEY_LENGTH = 4;
/** An all-digit key taken from a piece of text must be at least this long (the whole reference field is exempt). */
export const MIN_NUMERIC_PIECE_KEY_LENGTH = 6;
/** Adjacent pieces joined into one key, to undo a bank that replaced punctuation with spaces. */
const MAX_JOINED_PIECES = 3;
/** Only the first pieces of each field are read, which bounds the work as well as the output. */
const MAX_PIECES_PER_FIELD = 128;

/** One piece of a field's text: its matching key, and whether it was part of a date or time. */
interface Piece {
  readonly key: string;
  readonly dateOrTime: boolean;
}

/**
 * The distinct keys a bank transaction offers for the reference lookup, most specific first, at most
 * MAX_CANDIDATE_KEYS:
 *
 * 1. the matchingKey of the whole `reference` field (verbatim, even if it looks like a date: it is what the payer
 *    typed);
 * 2. then, for the `reference` field and after it the `description` (narrative), each on its own:
 *    for n = 1, 2, 3: the keys of n adjacent whitespace-separated tokens joined (so `"INV 2024 0042"` still yields
 *    `INV20240042`), then the keys of n adjacent alphanumeric runs joined (so `"REF-INV-0042"`, where a bank put
 *    hyphens for spaces, still yields `INV0042`);
 *
 * dropping keys shorter than MIN_CANDIDATE_KEY_LENGTH, keys longer than REFERENCE_MAX_LENGTH (no stored key is
 * longer, since references are at most 18 characters, so they could never be equal), keys made only of dates and
 * times, and duplicates. A date or time is a token of digits with `/` or `:` separators (`24/11/26`, `14:32`), or
 * a 4-digit HHMM token next to one (the `1432` of `24/11/26 1432`). Only the first 128 tokens and runs of each
 * field are read.
 */
export const candidateKeys = (fields: { reference?: string; description?: string }): string[] => {
  const keys = new Set<string>();
  const offer = (key: string): void => {
    if (keys.size < MAX_CANDIDATE_KEYS && key.length >= MIN_CANDIDATE_KEY_LENGTH && key.length <= REFERENCE_MAX_LENGTH) {
      keys.add(key);
    }
  };
  if (fields.reference !== undefined) offer(matchingKey(fields.reference));
  // Pieces of free text: a short number alone (a day, an amount, a sort-code part) is too common to name a payment.
  const offerPiece = (key: string): void => {
    if (!(/^[0-9]+$/.test(key) && key.length < MIN_NUMERIC_PIECE_KEY_LENGTH)) offer(key);
  };
  for (const text of [fields.reference, fields.description]) {
    if (text === undefined) continue;
    const { tokens, runs } = piecesOf(text);
    for (let joined = 1; joined <= MAX_JOINED_PIECES; joined += 1) {
      offerWindows(tokens, joined, offerPiece);
      offerWindows(runs, joined, offerPiece);
    }
  }
  return [...keys];
};

const offerWindows = (pieces: readonly Piece[], size: number, offer: (key: string) => void): void => {
  for (let start = 0; start + size <= pieces.length; start += 1) {
    const window = pieces.slice(start, start + size);
    if (!window.every((piece) => piece.dateOrTime)) offer(window.map((piece) => piece.key).join(''));
  }
};

/** Whitespace-separated tokens and alphanumeric runs of `text`, each flagged when it belongs to a date or time. */
const piecesOf = (text: string): { tokens: Piece[]; runs: Piece[] } => {
  const rawTokens = (text.match(/\S+/g) ?? []).slice(0, MAX_PIECES_PER_FIELD);
  const separated = rawTokens.map((token) => SEPARATED_DATE_OR_TIME.test(trimPunctuation(token)));
  const tokens = rawTokens.map((token, index) => ({
    key: matchingKey(token),
    dateOrTime: separated[index] === true || (isClockTime(trimPunctuation(token)) && (separated[index - 1] === true || separated[index + 1] === true)),
  }));
  const runs: Piece[] = [];
  rawTokens.forEach((token, index) => {
    for (const run of token.match(/[A-Za-z0-9]+/g) ?? []) {
      if (runs.length < MAX_PIECES_PER_FIELD) runs.push({ key: run.toUpperCase(), dateOrTime: tokens[index]?.dateOrTime === true });
    }
  });
  return { tokens, runs };
};

/** Digits with `/` or `:` separators: `24/11/26`, `2026/11/24`, `14:32`, `14:32:05`. */
// Dates as banks print them (24/11/26, 24-11-26, 24.11.2026, 2026-11-24) and times (14:32, 14:32:05). Two groups
// joined by - or . are not a date ("2024-0042" is an invoice number).
const SEPARATED_DATE_OR_TIME = /^(?:[0-9]{1,4}[/.-][0-9]{1,2}[/.-][0-9]{1,4}|[0-9]{1,2}\/[0-9]{1,2}|[0-9]{1,2}(?::[0-9]{2}){1,2})$/;

const trimPunctuation = (token: string): string => token.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');

/** A 4-digit HHMM such as `1432`. */
const isClockTime = (token: string): boolean => {
  const match = /^([0-9]{2})([0-9]{2})$/.exec(token);
  return match !== null && Number(match[1]) <= 23 && Number(match[2]) <= 59;
};
