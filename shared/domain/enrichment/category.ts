import * as v from 'valibot';
import type { BankTransactionCode, ReportedTransaction } from '../settlement/bank-transaction';
import mccData from './data/mcc.json' with { type: 'json' };
import btcData from './data/bank-transaction-codes.json' with { type: 'json' };

/**
 * A readable `category` for a bank transaction, from maintained lists (data/SOURCES.md), never typed by hand:
 * - the merchant category code (ISO 18245) → its description (the `mcc` package's IRS/USDA list), e.g. 5411 →
 *   "Grocery Stores, Supermarkets";
 * - else the ISO 20022 bank transaction code → "Domain / Family / Sub-family" names (ISO BTC codification v7.0),
 *   e.g. PMNT/RCDT/DMCT → "Payments / Received Credit Transfers / Domestic Credit Transfer", only as deep as known.
 * Unknown or malformed codes give null; nothing here throws on a bank's data. Pure: the lists are bundled JSON.
 */

const Names = v.record(v.string(), v.string());
const mcc = v.parse(v.object({ ranges: v.array(v.tuple([v.number(), v.number(), v.string()])) }), mccData);
const btc = v.parse(v.object({ domains: Names, families: Names, subFamilies: Names }), btcData);

const MCC_NAMES: ReadonlyMap<number, string> = (() => {
  const names = new Map<number, string>();
  for (const [from, to, description] of mcc.ranges) for (let code = from; code <= to; code += 1) names.set(code, description);
  return names;
})();

const DOMAINS: ReadonlyMap<string, string> = new Map(Object.entries(btc.domains));
/** Keyed `DOMAIN/FAMILY`: a family's name belongs to its domain (MCOP is in every domain). */
const FAMILIES: ReadonlyMap<string, string> = new Map(Object.entries(btc.families));
const SUB_FAMILIES: ReadonlyMap<string, string> = new Map(Object.entries(btc.subFamilies));
/** The domains each family code occurs in, to name a family sent without its domain (Open Banking). */
const DOMAINS_OF_FAMILY: ReadonlyMap<string, readonly string[]> = (() => {
  const byFamily = new Map<string, string[]>();
  for (const key of FAMILIES.keys()) {
    const [domain = '', family = ''] = key.split('/');
    byFamily.set(family, [...(byFamily.get(family) ?? []), domain]);
  }
  return byFamily;
})();
/**
 * A name reduced to compare with the way some banks send one in place of its code: letters and digits only, lower
 * case, without a final "s". The Open Banking examples send `ReceivedCreditTransfer` for the family the ISO list
 * names "Received Credit Transfers" (RCDT) and `DomesticCreditTransfer` for "Domestic Credit Transfer" (DMCT).
 */
const squash = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '').replace(/s$/, '');
/** Codes by squashed name, for the names that belong to exactly one code. */
const codesByName = (entries: Iterable<readonly [code: string, name: string]>): ReadonlyMap<string, string> => {
  const found = new Map<string, Set<string>>();
  for (const [code, name] of entries) found.set(squash(name), (found.get(squash(name)) ?? new Set<string>()).add(code));
  return new Map([...found].flatMap(([name, codes]) => (codes.size === 1 ? [[name, [...codes].join('')]] : [])));
};
const FAMILY_BY_NAME = codesByName([...FAMILIES].map(([key, name]) => [key.split('/')[1] ?? '', name]));
const SUB_FAMILY_BY_NAME = codesByName(SUB_FAMILIES);
/** "Not Available": the code says nothing, so it adds no level to the name. */
const NOT_AVAILABLE = 'NTAV';

/** Every merchant category code the list names, as the 4-digit strings banks send. */
export const knownMerchantCategoryCodes = (): readonly string[] => [...MCC_NAMES.keys()].map((code) => String(code).padStart(4, '0'));

/** The ISO 18245 merchant category code's description, or null when the code is not a known 4-digit code. */
export const merchantCategoryOf = (code: string | null | undefined): string | null => {
  if (typeof code !== 'string') return null;
  const digits = code.trim();
  if (!/^[0-9]{4}$/.test(digits)) return null;
  return MCC_NAMES.get(Number(digits)) ?? null;
};

const codeOf = (value: unknown): string => (typeof value === 'string' ? value.trim().toUpperCase() : '');

/**
 * The domain of a family sent without one: Open Banking's `BankTransactionCode` carries only `Code` (the family)
 * and `SubCode` (the sub-family). A family in exactly one domain names it (RCDT → PMNT); one in several (MCOP,
 * OTHR) does not, unless its name is the same in all of them.
 */
const familyWithoutDomain = (family: string): { domain: string | null; familyName: string } | null => {
  const domains = DOMAINS_OF_FAMILY.get(family) ?? [];
  const names = new Set(domains.map((domain) => FAMILIES.get(`${domain}/${family}`)));
  const [only] = domains;
  const [name] = [...names];
  if (only === undefined || names.size !== 1 || name === undefined) return null;
  return { domain: domains.length === 1 ? only : null, familyName: name };
};

/** "Domain / Family / Sub-family" names of an ISO 20022 bank transaction code, as deep as the list knows; else null. */
export const bankTransactionCategoryOf = (code: BankTransactionCode | null | undefined): string | null => {
  const structured = code?.domain;
  if (structured === null || structured === undefined) return null;
  let domain = codeOf(structured.code);
  let family = codeOf(structured.family);
  let subFamily = codeOf(structured.subFamily);
  // A name where the code belongs (the Open Banking examples' `ReceivedCreditTransfer`): its code, when only one has that name.
  if (!DOMAINS_OF_FAMILY.has(family) && !DOMAINS.has(family)) family = FAMILY_BY_NAME.get(squash(family)) ?? family;
  if (!SUB_FAMILIES.has(subFamily) && !FAMILIES.has(`${family}/${subFamily}`)) subFamily = SUB_FAMILY_BY_NAME.get(squash(subFamily)) ?? subFamily;
  let names: string[];
  if (domain === '' && DOMAINS.has(family) && FAMILIES.has(`${family}/${subFamily}`)) {
    // No domain, and the family slot holds a domain whose family is in the sub-family slot (PMNT/RCDT): one level up.
    [domain, family, subFamily] = [family, subFamily, ''];
  }
  if (domain === '') {
    const found = familyWithoutDomain(family);
    if (found === null) return null;
    const domainName = found.domain === null ? undefined : DOMAINS.get(found.domain);
    names = [...(domainName === undefined ? [] : [domainName]), found.familyName];
  } else {
    const domainName = DOMAINS.get(domain);
    if (domainName === undefined) return null;
    names = [domainName];
    const familyName = family === NOT_AVAILABLE ? undefined : FAMILIES.get(`${domain}/${family}`);
    if (familyName === undefined) return names.join(' / ');
    names.push(familyName);
  }
  const subFamilyName = subFamily === NOT_AVAILABLE ? undefined : SUB_FAMILIES.get(subFamily);
  if (subFamilyName !== undefined) names.push(subFamilyName);
  return names.join(' / ');
};

/** The readable category of a transaction: the merchant category code's description when known, else the bank transaction code's names, else null. */
export const categoryOf = (codes: {
  readonly merchantCategoryCode?: string | null;
  readonly bankTransactionCode?: BankTransactionCode | null;
}): string | null => merchantCategoryOf(codes.merchantCategoryCode) ?? bankTransactionCategoryOf(codes.bankTransactionCode);

/**
 * Readable: words a person wrote (some lower-case letters), not a code such as "PMNT/RCDT", "POS" or "BILL_PAYMENT".
 * A bank's readable category is kept; a code-like one is kept only when no category can be derived.
 */
const isReadable = (category: string | null): category is string => category !== null && category.trim() !== '' && /\p{Ll}/u.test(category);

/**
 * The transaction with a readable `category`: the bank's own when it sent words, else one derived by
 * {@link categoryOf} from `merchant.categoryCode` and `bankTransactionCode`, else whatever the bank sent (maybe null).
 */
export const enrichCategory = (report: ReportedTransaction): ReportedTransaction => {
  if (isReadable(report.category)) return report;
  const derived = categoryOf({ merchantCategoryCode: report.merchant?.categoryCode ?? null, bankTransactionCode: report.bankTransactionCode ?? null });
  return derived === null ? report : { ...report, category: derived };
};
