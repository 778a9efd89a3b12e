import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { BankTransactionCode } from '../../../../shared/domain/settlement/bank-transaction';
import {
  bankTransactionCategoryOf,
  categoryOf,
  enrichCategory,
  knownMerchantCategoryCodes,
  merchantCategoryOf,
} from '../../../../shared/domain/enrichment/category';
import { fileText, generatedData } from '../../../../shared/domain/enrichment/data/generate';
import { aReportedTransaction } from '../../../support/domain-fakes';

const require = createRequire(import.meta.url);
const readJson = (path: string | URL): unknown => JSON.parse(readFileSync(path, 'utf8'));

/** The source list itself (the mcc package), read independently of the generated file. */
const SOURCE_MCCS = v.parse(v.array(v.object({ mcc: v.string() })), readJson(require.resolve('mcc/mcc_codes.json'))).map((entry) => entry.mcc);
const BTC = v.parse(
  v.object({ domains: v.record(v.string(), v.string()), families: v.record(v.string(), v.string()), subFamilies: v.record(v.string(), v.string()) }),
  readJson(new URL('../../../../shared/domain/enrichment/data/bank-transaction-codes.json', import.meta.url)),
);

const iso = (code: string, family: string, subFamily: string): BankTransactionCode => ({ domain: { code, family, subFamily }, proprietary: null });

describe('merchant category codes (ISO 18245)', () => {
  it('names real codes by their description in the list', () => {
    expect(merchantCategoryOf('5411')).toBe('Grocery Stores, Supermarkets');
    expect(merchantCategoryOf('5812')).toBe('Eating Places, Restaurants');
    expect(merchantCategoryOf('5814')).toBe('Fast Food Restaurants');
    expect(merchantCategoryOf('4111')).toBe('Commuter Transport, Ferries');
    expect(merchantCategoryOf('6011')).toBe('Automated Cash Disburse');
    expect(merchantCategoryOf('6010')).toBe('Manual Cash Disburse');
    // 3000-3299 are single airlines; the category is the IRS's "Airlines", not the carrier's name.
    expect(merchantCategoryOf('3000')).toBe('Airlines');
    expect(merchantCategoryOf('3299')).toBe('Airlines');
    // No IRS description: the list's edited description.
    expect(merchantCategoryOf('5815')).toBe('Digital Goods: Media, Books, Movies, Music');
    // Leading zero and surrounding blanks as banks send them; trailing blanks in the source are gone.
    expect(merchantCategoryOf('0742')).toBe('Veterinary Services');
    expect(merchantCategoryOf(' 5411 ')).toBe('Grocery Stores, Supermarkets');
    expect(merchantCategoryOf('5541')).toBe('Service Stations');
  });

  it('gives null for codes that are not 4 digits or not in the list, and never throws', () => {
    for (const code of ['742', '05411', '54 11', 'abcd', '', '0000', '9999', '1234', null, undefined]) expect(merchantCategoryOf(code)).toBeNull();
  });

  it('names every code of the source list, and only those (property)', () => {
    expect(new Set(knownMerchantCategoryCodes())).toEqual(new Set(SOURCE_MCCS));
    expect(SOURCE_MCCS.length).toBe(981);
    for (const code of SOURCE_MCCS) {
      const name = categoryOf({ merchantCategoryCode: code });
      expect(name, code).toEqual(expect.stringMatching(/\S/));
      expect(name).toBe(name?.trim());
    }
    const known = new Set(SOURCE_MCCS);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')).filter((code) => !known.has(code)),
        (code) => categoryOf({ merchantCategoryCode: code }) === null,
      ),
      { numRuns: 2000 },
    );
  });
});

describe('bank transaction codes (ISO 20022)', () => {
  it('names domain, family and sub-family', () => {
    expect(bankTransactionCategoryOf(iso('PMNT', 'RCDT', 'DMCT'))).toBe('Payments / Received Credit Transfers / Domestic Credit Transfer');
    expect(bankTransactionCategoryOf(iso('PMNT', 'ICDT', 'STDO'))).toBe('Payments / Issued Credit Transfers / Standing Order');
    expect(bankTransactionCategoryOf(iso('PMNT', 'RDDT', 'ESDD'))).toBe('Payments / Received Direct Debits / SEPA Core Direct Debit');
    expect(bankTransactionCategoryOf(iso('PMNT', 'CCRD', 'CWDL'))).toBe('Payments / Customer Card Transactions / Cash Withdrawal');
    expect(bankTransactionCategoryOf(iso('ACMT', 'MDOP', 'CHRG'))).toBe('Account Management / Miscellaneous Debit Operations / Charges (Generic)');
    // The source's double space is one space.
    expect(bankTransactionCategoryOf(iso('ACMT', 'ACOP', 'PSTE'))).toBe('Account Management / Additional Miscellaneous Credit Operations / Posting Error');
    // Case and blanks as a careless bank sends them.
    expect(bankTransactionCategoryOf(iso(' pmnt', 'rcdt ', 'dmct'))).toBe('Payments / Received Credit Transfers / Domestic Credit Transfer');
  });

  it('names only as deep as the list knows, and skips "not available" levels', () => {
    expect(bankTransactionCategoryOf(iso('PMNT', 'RCDT', 'ZZZZ'))).toBe('Payments / Received Credit Transfers');
    expect(bankTransactionCategoryOf(iso('PMNT', 'RCDT', ''))).toBe('Payments / Received Credit Transfers');
    expect(bankTransactionCategoryOf(iso('PMNT', 'ZZZZ', 'DMCT'))).toBe('Payments');
    expect(bankTransactionCategoryOf(iso('PMNT', 'NTAV', 'NTAV'))).toBe('Payments');
    expect(bankTransactionCategoryOf(iso('PMNT', 'MCOP', 'NTAV'))).toBe('Payments / Miscellaneous Credit Operations');
    // A family of another domain is not this domain's.
    expect(bankTransactionCategoryOf(iso('SECU', 'RCDT', 'DMCT'))).toBe('Securities');
  });

  it('names a family sent without its domain (Open Banking) from the one domain it belongs to', () => {
    expect(bankTransactionCategoryOf(iso('', 'RCDT', 'DMCT'))).toBe('Payments / Received Credit Transfers / Domestic Credit Transfer');
    expect(bankTransactionCategoryOf(iso('', 'IDDT', 'PADD'))).toBe('Payments / Issued Direct Debits / Pre-Authorised Direct Debit');
    // MCOP is in every domain under the same name: the family is named, the domain is not guessed.
    expect(bankTransactionCategoryOf(iso('', 'MCOP', 'CHRG'))).toBe('Miscellaneous Credit Operations / Charges (Generic)');
    // A domain in the family slot and its family in the sub-family slot, as some banks send it.
    expect(bankTransactionCategoryOf(iso('', 'PMNT', 'RCDT'))).toBe('Payments / Received Credit Transfers');
    // The ISO names where the codes belong, as in the Open Banking examples.
    expect(bankTransactionCategoryOf(iso('', 'ReceivedCreditTransfer', 'DomesticCreditTransfer'))).toBe('Payments / Received Credit Transfers / Domestic Credit Transfer');
    expect(bankTransactionCategoryOf(iso('', 'IssuedCreditTransfer', 'AutomaticTransfer'))).toBe('Payments / Issued Credit Transfers / Automatic Transfer');
    expect(bankTransactionCategoryOf(iso('', 'ZZZZ', 'DMCT'))).toBeNull();
    expect(bankTransactionCategoryOf(iso('', '', ''))).toBeNull();
  });

  it('gives null for unknown domains, proprietary-only codes and no code', () => {
    expect(bankTransactionCategoryOf(iso('ZZZZ', 'RCDT', 'DMCT'))).toBeNull();
    expect(bankTransactionCategoryOf({ domain: null, proprietary: { code: 'FPS', issuer: 'BankV4' } })).toBeNull();
    expect(bankTransactionCategoryOf(null)).toBeNull();
    expect(bankTransactionCategoryOf(undefined)).toBeNull();
  });

  it('names every domain/family of the list, and every sub-family within a domain (property)', () => {
    expect(Object.keys(BTC.domains)).toHaveLength(11);
    expect(Object.keys(BTC.families)).toHaveLength(104);
    expect(Object.keys(BTC.subFamilies)).toHaveLength(250);
    for (const [key, familyName] of Object.entries(BTC.families)) {
      const [domain = '', family = ''] = key.split('/');
      const name = categoryOf({ bankTransactionCode: iso(domain, family, 'OTHR') });
      const expected = family === 'NTAV' ? `${BTC.domains[domain]}` : `${BTC.domains[domain]} / ${familyName} / Other`;
      expect(name, key).toBe(expected);
    }
    for (const [subFamily, subFamilyName] of Object.entries(BTC.subFamilies)) {
      if (subFamily === 'NTAV') continue;
      expect(categoryOf({ bankTransactionCode: iso('PMNT', 'RCDT', subFamily) }), subFamily).toBe(`Payments / Received Credit Transfers / ${subFamilyName}`);
    }
  });

  it('never throws, whatever a bank sends (property)', () => {
    const text = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('PMNT', 'RCDT', 'DMCT', 'MCOP', 'NTAV', '', 'ReceivedCreditTransfer'));
    fc.assert(
      fc.property(fc.option(text), fc.option(fc.record({ code: text, family: text, subFamily: text })), (mcc, domain) => {
        const name = categoryOf({ merchantCategoryCode: mcc, bankTransactionCode: { domain, proprietary: null } });
        return name === null || name.trim() !== '';
      }),
      { numRuns: 2000 },
    );
  });
});

describe('categoryOf', () => {
  it('prefers the merchant category code, else the bank transaction code', () => {
    const card = iso('PMNT', 'CCRD', 'POSD');
    expect(categoryOf({ merchantCategoryCode: '5411', bankTransactionCode: card })).toBe('Grocery Stores, Supermarkets');
    expect(categoryOf({ merchantCategoryCode: '0000', bankTransactionCode: card })).toBe('Payments / Customer Card Transactions / Point-of-Sale (POS) Payment - Debit Card');
    expect(categoryOf({ merchantCategoryCode: null, bankTransactionCode: card })).toBe('Payments / Customer Card Transactions / Point-of-Sale (POS) Payment - Debit Card');
    expect(categoryOf({})).toBeNull();
    expect(categoryOf({ merchantCategoryCode: 'x', bankTransactionCode: { domain: null, proprietary: { code: 'POS', issuer: null } } })).toBeNull();
  });
});

describe('enrichCategory', () => {
  it('derives the category from the merchant category code or the bank transaction code', () => {
    const card = aReportedTransaction({ merchant: { name: 'Corner Shop', categoryCode: '5411' }, bankTransactionCode: iso('PMNT', 'CCRD', 'POSD') });
    expect(enrichCategory(card)).toEqual({ ...card, category: 'Grocery Stores, Supermarkets' });
    const transfer = aReportedTransaction({ bankTransactionCode: iso('PMNT', 'RCDT', 'ESCT') });
    expect(enrichCategory(transfer).category).toBe('Payments / Received Credit Transfers / SEPA Credit Transfer');
    expect(transfer.category).toBeNull();
  });

  it("keeps the bank's own readable category, and replaces a code-like one only with a derived one", () => {
    const readable = aReportedTransaction({ category: 'Groceries', merchant: { categoryCode: '5812' } });
    expect(enrichCategory(readable)).toBe(readable);
    expect(enrichCategory(aReportedTransaction({ category: 'PMNT/RCDT', merchant: { categoryCode: '5812' } })).category).toBe('Eating Places, Restaurants');
    expect(enrichCategory(aReportedTransaction({ category: 'BILL_PAYMENT', bankTransactionCode: iso('', 'RDDT', 'PMDD') })).category).toBe(
      'Payments / Received Direct Debits / Direct Debit Payment',
    );
    // Nothing to derive from: the bank's value stays, code or null.
    expect(enrichCategory(aReportedTransaction({ category: 'POS' })).category).toBe('POS');
    expect(enrichCategory(aReportedTransaction({ category: null, merchant: { categoryCode: '0000' } })).category).toBeNull();
    expect(enrichCategory(aReportedTransaction({ category: '   ', bankTransactionCode: null })).category).toBe('   ');
  });
});

describe('the generated lists', () => {
  it('are exactly what the generator makes from the sources (no hand edits, no drift from the mcc package)', () => {
    for (const [file, value] of Object.entries(generatedData())) {
      expect(readFileSync(new URL(`../../../../shared/domain/enrichment/data/${file}`, import.meta.url), 'utf8'), file).toBe(fileText(value));
    }
  });
});
