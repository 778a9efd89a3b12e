/**
 * Confirmation of Payee: before an outbound payment (or a payout item) leaves, the payee's bank is asked whether the
 * name the tenant gave belongs to the account. The answer travels on the payment as `counterparty.verification`.
 */
export const VERIFICATION_RESULTS = ['match', 'close_match', 'no_match', 'unavailable'] as const;
export type VerificationResult = (typeof VERIFICATION_RESULTS)[number];

export interface PayeeVerification {
  readonly result: VerificationResult;
  /** The account holder's name as the payee's bank knows it, given with a close match only. */
  readonly suggestedName?: string | undefined;
}

/** The payee as the request names it. */
export interface Payee {
  readonly name: string;
  readonly sortCode: string;
  readonly accountNumber: string;
}

/** The port: the payee's bank (or a CoP service) answering for one payee. */
export interface PayeeVerifier {
  verify(payee: Payee): Promise<PayeeVerification>;
}

/**
 * What the request said to do with a mismatch: stop (the default) or `proceed_on_mismatch`. An `unavailable`
 * answer never stops a payment: the payee's bank does not take part in the scheme, so there is nothing to compare.
 */
export type MismatchPolicy = 'stop' | 'proceed_on_mismatch';

export const PAYEE_NAME_MISMATCH = 'payee_name_mismatch';

/** True when the answer stops the payment (it becomes `failed` with `failureReason: "payee_name_mismatch"`). */
export const stopsPayment = (verification: PayeeVerification, policy: MismatchPolicy): boolean =>
  policy !== 'proceed_on_mismatch' && (verification.result === 'no_match' || verification.result === 'close_match');

const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr']);

/** A name's words, lower-case letters only, titles dropped: "Mr. Jordan-Example" → ["jordan", "example"]. */
export const nameWords = (name: string): string[] =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z]+/)
    .filter((word) => word !== '' && !TITLES.has(word));

/**
 * One typo at most: one letter replaced, added or dropped, or two neighbours swapped (optimal string alignment
 * distance ≤ 1), without building the whole matrix.
 */
export const withinOneTypo = (a: string, b: string): boolean => {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < shorter.length && shorter[i] === longer[i]) i += 1;
  if (shorter.length !== longer.length) return shorter.slice(i) === longer.slice(i + 1);
  const swapped = shorter[i] === longer[i + 1] && shorter[i + 1] === longer[i] && shorter.slice(i + 2) === longer.slice(i + 2);
  return swapped || shorter.slice(i + 1) === longer.slice(i + 1);
};

/**
 * How a given name compares with the account holder's, the way UK CoP responders answer:
 * - the same words whatever the case, punctuation or title → `match`;
 * - the holder's first name given as its initial ("J Example" for "Jordan Example"), or one typo (a letter wrong,
 *   missing or extra, or two swapped) → `close_match`, with the holder's name suggested;
 * - anything else → `no_match`.
 */
export const compareNames = (given: string, holder: string): PayeeVerification => {
  const givenWords = nameWords(given);
  const holderWords = nameWords(holder);
  if (givenWords.length === 0) return { result: 'no_match' };
  if (givenWords.join(' ') === holderWords.join(' ')) return { result: 'match' };
  const initialled =
    givenWords.length === holderWords.length &&
    givenWords.every((word, index) => word === holderWords[index] || (index < givenWords.length - 1 && word.length === 1 && holderWords[index]?.startsWith(word)));
  if (initialled || withinOneTypo(givenWords.join(''), holderWords.join(''))) return { result: 'close_match', suggestedName: holder };
  return { result: 'no_match' };
};
