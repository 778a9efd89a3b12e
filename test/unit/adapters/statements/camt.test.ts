import { createReadStream, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CamtParseError,
  parseCamt,
  parseCamtDocument,
  type CamtEvent,
  type CamtStatement,
} from '../../../../shared/adapters/statements/camt';
import type { StatementEntry } from '../../../../shared/domain/statements/statement-entry';
import { camtDocument, ntry, singleStatement, statement, type CamtVersion, type EntrySpec } from '../../../support/camt-documents';

const fixture = (path: string): string => new URL(`../../../fixtures/camt/${path}`, import.meta.url).pathname;

const entriesOf = (events: readonly CamtEvent[]): StatementEntry[] =>
  events.flatMap((event) => (event.type === 'entry' ? [event.entry] : []));
const statementsOf = (events: readonly CamtEvent[]): CamtStatement[] =>
  events.flatMap((event) => (event.type === 'statement' ? [event.statement] : []));

const entries = async (xml: string): Promise<StatementEntry[]> => entriesOf(await parseCamtDocument(xml));

/** Runs the parser and returns what it yielded before failing, and the error. */
const failure = async (input: Parameters<typeof parseCamt>[0], options = {}): Promise<{ yielded: CamtEvent[]; error: unknown }> => {
  const yielded: CamtEvent[] = [];
  try {
    for await (const event of parseCamt(input, options)) yielded.push(event);
  } catch (error) {
    return { yielded, error };
  }
  throw new Error(`expected the parse to fail; it yielded ${yielded.length} events`);
};

describe('parseCamt on the published sample files', () => {
  it('reads genkgo camt053.v2.minimal: one booked credit with a structured creditor reference', async () => {
    // Act
    const events = await parseCamtDocument(createReadStream(fixture('genkgo-camt/camt053.v2.minimal.xml')));

    // Assess
    expect(statementsOf(events)).toEqual([
      { message: 'camt.053', version: 2, statementId: '253EURNL26VAYB8060476890', account: { iban: 'NL26VAYB8060476890', other: null, currency: 'EUR' } },
    ]);
    const [entry, ...rest] = entriesOf(events);
    expect(rest).toHaveLength(0);
    expect(entry).toMatchObject({
      status: 'booked',
      creditDebitIndicator: 'credit',
      reversal: false,
      amount: 885,
      currency: 'EUR',
      bookingDate: '2014-12-31',
      bookingDateTime: '2014-12-31T00:00:00.000Z',
      valueDate: '2015-01-02',
      reference: '4654654654654654',
      remittanceInformation: null,
      narrative: null,
      endToEndId: null,
      bankTransactionCode: { domain: null, proprietary: { code: '544', issuer: null } },
      counterparty: { name: 'NAME NAME', iban: 'NL56AGDH9619008421', accountId: null },
    });
  });

  it('reads genkgo camt053.v8: the Sts/Cd form, a booking date-time with an offset, Othr account id', async () => {
    const events = await parseCamtDocument(readFileSync(fixture('genkgo-camt/camt053.v8.xml'), 'utf8'));

    expect(statementsOf(events)[0]?.account).toEqual({ iban: null, other: { id: 'NL26VAYB8060476890', scheme: null }, currency: null });
    const all = entriesOf(events);
    expect(all).toHaveLength(1);
    // The single TxDtls carries `Amt Ccy="SEK">0`: the entry's own amount is what moved on the account.
    expect(all[0]).toMatchObject({
      status: 'booked',
      creditDebitIndicator: 'credit',
      amount: 885,
      currency: 'EUR',
      bookingDate: '2014-12-31',
      bookingDateTime: '2014-12-31T12:15:00.000Z',
      endToEndId: 'MUELL/FINP/RA12345',
      entryAccountServicerReference: 'AAAASESS-FP-CN_98765/01',
      reference: '4654654654654654',
      bankTransactionCode: { domain: { code: 'PMNT', family: 'RCDT', subFamily: 'BOOK' }, proprietary: null },
      counterparty: { name: 'NAME NAME', iban: 'NL56AGDH9619008421', accountId: null },
    });
  });

  it('splits the genkgo camt054.v8 batch into its three TxDtls with their amounts, references and payees', async () => {
    const all = entriesOf(await parseCamtDocument(createReadStream(fixture('genkgo-camt/camt054.v8.xml'))));

    expect(all.map((entry) => [entry.amount, entry.currency, entry.transactionIndex])).toEqual([
      [310, 'CHF', 0],
      [320, 'CHF', 1],
      [320, 'CHF', 2],
    ]);
    // The TxDtls say CRDT inside a DBIT entry and do not add up to it: the entry's direction wins.
    expect(all.every((entry) => entry.creditDebitIndicator === 'debit' && entry.status === 'booked')).toBe(true);
    expect(all[0]).toMatchObject({
      reference: 'ISR ref number V1',
      remittanceInformation: 'Unstructured Remittance Information V1',
      narrative: 'Order',
      endToEndId: 'UXC06170000006PI00001EE00001',
      bookingDate: '2007-10-18',
      counterparty: { name: 'Example Creditor 3 - V1', iban: 'CH4112345003131313131', accountId: null },
      bankTransactionCode: { domain: { code: 'PMNT', family: 'ICDT', subFamily: 'DMCT' }, proprietary: { code: 'Z24', issuer: null } },
    });
    expect(all[2]).toMatchObject({
      reference: 'Ref number V3 block 1 Ref number V3 block 2',
      remittanceInformation: 'Unstructured Remittance Information V3 block 1 Unstructured Remittance Information V3 block 2',
    });
    // Transactions 2 and 3 are identical in every identifying field; they must still be two entries.
    expect(new Set(all.map((entry) => entry.entryKey)).size).toBe(3);
  });

  it('reads the viafintech camt.054.001.04 example: a split batch, a single credit and two reversals', async () => {
    const all = entriesOf(await parseCamtDocument(createReadStream(fixture('viafintech-camt_parser/valid_example.xml'))));

    expect(all).toHaveLength(5);
    expect(all.map((entry) => [entry.amount, entry.creditDebitIndicator, entry.reversal])).toEqual([
      [1500, 'credit', false],
      [900, 'credit', false],
      [5656, 'credit', false],
      [600, 'debit', true],
      [1553, 'debit', true],
    ]);
    expect(all[0]).toMatchObject({
      reference: 'Mitteilung 132',
      narrative: 'GUTSCHRIFT CH-DD-BASISLASTSCHRIFT ID: 41107767420881932 REFERENZ-NR: PMTINF-1CHDDBB3',
      endToEndId: 'EndToEnd-CRDBRActSame-1B9C-CHDDBB2',
      accountServicerReference: 'TST_201-2091644-9',
      entryAccountServicerReference: '20160410375244000000000000000081',
      entryReference: '41107767420881932',
      bookingDate: '2016-04-10',
      counterparty: { name: 'Rutschmann Pia', iban: 'CH4409000000495962779', accountId: null },
    });
    // No remittance at all: no reference, the narrative stays apart.
    expect(all[2]).toMatchObject({ reference: null, endToEndId: 'PMT-651727380907030005' });
    expect(all[2]?.narrative).toContain('PMT-ID-1268016165-01');
    // A reversed direct debit collection: stated as a debit, the counterparty is the original payer.
    expect(all[3]).toMatchObject({
      reference: 'Mitteilung 128',
      endToEndId: 'EndToEnd-2B6C-CHDDBB5',
      counterparty: { name: 'Bernasconi Maria', iban: 'CH3709000000250094580', accountId: null },
    });
  });
});

describe('parseCamt across versions', () => {
  const versions: CamtVersion[] = [2, 3, 4, 5, 6, 7, 8];
  const cases = versions.flatMap((version) =>
    (['camt.053', 'camt.054'] as const).map((message) => ({ message, version, description: `${message}.001.0${version}` })),
  );

  it.each(cases)('$description: detects the version and reads BOOK and PDNG in its Sts form', async ({ message, version }) => {
    const xml = singleStatement(message, version, [
      { amount: '12.34', status: 'BOOK', transactions: [{ endToEndId: 'E2E-1', unstructured: ['INV 1'] }] },
      { amount: '5.00', direction: 'DBIT', status: 'PDNG' },
    ]);
    // The status element really has the version's form.
    expect(xml).toContain(version >= 6 ? '<Sts><Cd>BOOK</Cd></Sts>' : '<Sts>BOOK</Sts>');

    const events = await parseCamtDocument(xml);

    expect(statementsOf(events)).toEqual([
      { message, version, statementId: 'STMT-1', account: { iban: 'DE89370400440532013000', other: null, currency: null } },
    ]);
    expect(entriesOf(events).map((entry) => [entry.status, entry.amount, entry.creditDebitIndicator, entry.endToEndId, entry.reference])).toEqual([
      ['booked', 1234, 'credit', 'E2E-1', 'INV 1'],
      ['pending', 500, 'debit', null, null],
    ]);
  });

  it.each([
    { description: 'camt.053.001.09 (too new)', namespace: 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.09', pattern: /camt\.053\.001\.09 is not supported/ },
    { description: 'camt.053.001.01 (too old)', namespace: 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.01', pattern: /camt\.053\.001\.01 is not supported/ },
    { description: 'camt.052 (a report)', namespace: 'urn:iso:std:iso:20022:tech:xsd:camt.052.001.02', pattern: /not a camt\.053 or camt\.054 document/ },
    { description: 'pain.001 (a payment order)', namespace: 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03', pattern: /not a camt\.053 or camt\.054 document/ },
  ])('refuses $description', async ({ namespace, pattern }) => {
    const xml = `<?xml version="1.0"?><Document xmlns="${namespace}"><BkToCstmrStmt/></Document>`;

    const { yielded, error } = await failure(xml);

    expect(yielded).toEqual([]);
    expect(error).toBeInstanceOf(CamtParseError);
    expect(error).toMatchObject({ code: 'statement_unsupported', line: 1 });
    expect(String(error)).toMatch(pattern);
  });

  it('refuses a camt.053 namespace around a camt.054 message element', async () => {
    const xml = camtDocument('camt.053', 4, []).replace(/BkToCstmrStmt/g, 'BkToCstmrDbtCdtNtfctn');

    const { error } = await failure(xml);

    expect(error).toMatchObject({ code: 'statement_unsupported' });
    expect(String(error)).toContain('expected <BkToCstmrStmt> in the Document, found <BkToCstmrDbtCdtNtfctn>');
  });
});

describe('parseCamt entries', () => {
  it('keeps a reversal as its own entry with the direction as stated', async () => {
    const all = await entries(
      singleStatement('camt.053', 8, [
        { amount: '40.00', direction: 'CRDT', acctSvcrRef: 'A-1', transactions: [{ debtorName: 'Payer Ltd', endToEndId: 'E2E-9' }] },
        { amount: '40.00', direction: 'DBIT', reversal: true, acctSvcrRef: 'A-2', transactions: [{ debtorName: 'Payer Ltd', endToEndId: 'E2E-9' }] },
      ]),
    );

    expect(all.map((entry) => [entry.creditDebitIndicator, entry.reversal, entry.counterparty?.name])).toEqual([
      ['credit', false, 'Payer Ltd'],
      ['debit', true, 'Payer Ltd'],
    ]);
    expect(all[0]?.entryKey).not.toBe(all[1]?.entryKey);
  });

  it('skips an INFO entry with a reason and an unknown status likewise, keeping the entries around them', async () => {
    const events = await parseCamtDocument(
      singleStatement('camt.053', 6, [{ amount: '1.00' }, { amount: '2.00', status: 'INFO' }, { amount: '3.00', status: 'XXXX' }, { amount: '4.00' }]),
    );

    expect(entriesOf(events).map((entry) => entry.amount)).toEqual([100, 400]);
    const skipped = events.filter((event) => event.type === 'skipped');
    expect(skipped).toHaveLength(2);
    expect(skipped[0]).toMatchObject({ statementId: 'STMT-1', entryIndex: 1 });
    expect(skipped[0]?.type === 'skipped' && skipped[0].reason).toMatch(/INFO/);
    expect(skipped[1]?.type === 'skipped' && skipped[1].reason).toMatch(/"XXXX"/);
  });

  it('emits one entry for an Ntry without TxDtls, with the entry narrative and codes', async () => {
    const [entry, ...rest] = await entries(
      singleStatement('camt.053', 3, [
        {
          amount: '99.99',
          direction: 'DBIT',
          bookingDateTime: '2026-03-02T23:30:00-02:00',
          valueDate: '2026-03-03',
          ntryRef: 'N-7',
          acctSvcrRef: 'BANKREF-7',
          additionalInfo: 'CARD PAYMENT  COFFEE\n SHOP',
          domainCode: ['PMNT', 'CCRD', 'POSD'],
          proprietaryCode: 'NMSC+005',
        },
      ]),
    );

    expect(rest).toHaveLength(0);
    expect(entry).toMatchObject({
      transactionIndex: null,
      amount: 9999,
      creditDebitIndicator: 'debit',
      bookingDate: '2026-03-02',
      bookingDateTime: '2026-03-03T01:30:00.000Z',
      valueDate: '2026-03-03',
      entryReference: 'N-7',
      entryAccountServicerReference: 'BANKREF-7',
      narrative: 'CARD PAYMENT COFFEE SHOP',
      reference: null,
      counterparty: null,
      batch: null,
      bankTransactionCode: { domain: { code: 'PMNT', family: 'CCRD', subFamily: 'POSD' }, proprietary: { code: 'NMSC+005', issuer: null } },
    });
  });

  it('splits a batch whose TxDtls carry amounts (v2: AmtDtls/TxAmt), each with its own reference and payee', async () => {
    const all = await entries(
      singleStatement('camt.053', 2, [
        {
          amount: '30.00',
          direction: 'DBIT',
          batchCount: 2,
          acctSvcrRef: 'BATCH-1',
          transactions: [
            { amount: '10.00', endToEndId: 'NOTPROVIDED', creditorName: 'Alpha', creditorAccountOther: '12345678', creditorReference: 'RF18539007547034' },
            { amount: '20.00', endToEndId: 'E2E-B', creditorName: 'Beta', unstructured: ['INV-2', 'PART 2'], additionalInfo: 'SEPA CT' },
          ],
        },
      ]),
    );

    expect(all).toHaveLength(2);
    expect(all[0]).toMatchObject({
      amount: 1000,
      creditDebitIndicator: 'debit',
      transactionIndex: 0,
      endToEndId: null,
      reference: 'RF18539007547034',
      counterparty: { name: 'Alpha', iban: null, accountId: '12345678' },
      entryAccountServicerReference: 'BATCH-1',
    });
    expect(all[1]).toMatchObject({ amount: 2000, endToEndId: 'E2E-B', reference: 'INV-2 PART 2', narrative: 'SEPA CT', counterparty: { name: 'Beta' } });
  });

  it('trusts TxDtls directions when they net to the entry (a batch of credits less a fee)', async () => {
    const all = await entries(
      singleStatement('camt.054', 5, [
        {
          amount: '18.00',
          direction: 'CRDT',
          transactions: [
            { amount: '10.00', direction: 'CRDT' },
            { amount: '10.00', direction: 'CRDT' },
            { amount: '2.00', direction: 'DBIT' },
          ],
        },
      ]),
    );

    expect(all.map((entry) => [entry.amount, entry.creditDebitIndicator])).toEqual([
      [1000, 'credit'],
      [1000, 'credit'],
      [200, 'debit'],
    ]);
  });

  it('keeps a batch whose TxDtls carry no amounts as one entry for the batch', async () => {
    const all = await entries(
      singleStatement('camt.053', 4, [{ amount: '75.00', batchCount: 3, transactions: [{ endToEndId: 'X-1' }, { endToEndId: 'X-2' }, { endToEndId: 'X-3' }] }]),
    );

    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ amount: 7500, batch: { transactionCount: 3 }, endToEndId: null, transactionIndex: null });
  });

  it('names the account by Othr/Id with its scheme and the account currency', async () => {
    const events = await parseCamtDocument(
      singleStatement('camt.053', 7, [{ amount: '1.00', currency: 'GBP' }], { otherId: { id: '40051512345678', scheme: 'BBAN' }, currency: 'GBP' }),
    );

    expect(statementsOf(events)[0]?.account).toEqual({ iban: null, other: { id: '40051512345678', scheme: 'BBAN' }, currency: 'GBP' });
    expect(entriesOf(events)[0]?.account).toEqual(statementsOf(events)[0]?.account);
  });

  it('uses the currency exponent of the Ccy attribute (JPY has none, KWD three)', async () => {
    const all = await entries(singleStatement('camt.053', 8, [{ amount: '1250', currency: 'JPY' }, { amount: '1.250', currency: 'KWD' }]));

    expect(all.map((entry) => [entry.amount, entry.currency])).toEqual([
      [1250, 'JPY'],
      [1250, 'KWD'],
    ]);
  });
});

describe('parseCamt entry keys', () => {
  const day: EntrySpec[] = [
    { amount: '10.00', acctSvcrRef: 'R-1', transactions: [{ endToEndId: 'E-1' }] },
    { amount: '10.00', additionalInfo: 'CARD COFFEE' },
    { amount: '10.00', additionalInfo: 'CARD COFFEE' },
    { amount: '25.00', direction: 'DBIT', transactions: [{ unstructured: ['RENT MARCH'] }] },
  ];

  it('gives the same keys when the same file is read again', async () => {
    const xml = singleStatement('camt.053', 8, day);

    const first = (await entries(xml)).map((entry) => entry.entryKey);
    const second = (await entries(xml)).map((entry) => entry.entryKey);

    expect(second).toEqual(first);
    expect(new Set(first).size).toBe(4);
    expect(first.every((key) => /^[0-9a-f]{64}$/.test(key))).toBe(true);
  });

  it('gives the same keys to the same entries in an overlapping statement of another id, version and date form', async () => {
    const daily = await entries(singleStatement('camt.053', 8, day, { id: 'DAILY-0302' }));
    const monthly = await entries(
      singleStatement(
        'camt.053',
        4,
        [{ amount: '99.00', bookingDate: '2026-03-01' }, ...day.map((entry) => ({ ...entry, bookingDateTime: '2026-03-02T09:00:00+01:00', ntryRef: 'M' }))],
        { id: 'MONTHLY-03' },
      ),
    );

    expect(monthly.slice(1).map((entry) => entry.entryKey)).toEqual(daily.map((entry) => entry.entryKey));
    expect(daily.map((entry) => entry.entryKey)).not.toContain(monthly[0]?.entryKey);
  });

  it('gives different keys to entries of another account, status, amount or date', async () => {
    const base = (await entries(singleStatement('camt.053', 8, [day[1] ?? {}])))[0]?.entryKey;
    const variants = await Promise.all([
      entries(singleStatement('camt.053', 8, [day[1] ?? {}], { iban: 'GB29NWBK60161331926819' })),
      entries(singleStatement('camt.053', 8, [{ ...day[1], status: 'PDNG' }])),
      entries(singleStatement('camt.053', 8, [{ ...day[1], amount: '10.01' }])),
      entries(singleStatement('camt.053', 8, [{ ...day[1], bookingDate: '2026-03-03' }])),
    ]);

    const keys = variants.map((list) => list[0]?.entryKey);
    expect(new Set([base, ...keys]).size).toBe(5);
  });
});

describe('parseCamt errors', () => {
  it('fails on malformed XML naming the line, after yielding only what came before it', async () => {
    const good = ntry({ amount: '1.00' }, 8);
    const xml = camtDocument('camt.053', 8, [statement({ entries: [good, good, good.replace('</Ntry>', '</Nrty>'), good] }, 'camt.053')]);

    const { yielded, error } = await failure(xml);

    expect(error).toBeInstanceOf(CamtParseError);
    expect(error).toMatchObject({ code: 'statement_malformed' });
    expect(error instanceof CamtParseError && error.line).toBe(4);
    expect(String(error)).toMatch(/line 4, column \d+: malformed XML: unexpected close tag/);
    // Whatever was yielded precedes the broken entry: never the entry after it.
    expect(entriesOf(yielded).length).toBeLessThanOrEqual(2);
  });

  it.each([
    { description: 'Ntry/Amt', entry: ntry({}, 8).replace(/<Amt[^>]*>[^<]*<\/Amt>/, ''), message: /Ntry\/Amt is missing/ },
    { description: 'Ntry/Sts', entry: ntry({}, 8).replace(/<Sts>.*?<\/Sts>/, ''), message: /Ntry\/Sts is missing/ },
    { description: 'Ntry/CdtDbtInd', entry: ntry({}, 8).replace(/<CdtDbtInd>[^<]*<\/CdtDbtInd>/, ''), message: /CdtDbtInd is missing/ },
    { description: 'the Ccy attribute', entry: ntry({}, 8).replace(' Ccy="EUR"', ''), message: /no Ccy attribute/ },
    { description: 'a booking date', entry: ntry({}, 8).replace(/<BookgDt>.*?<\/BookgDt>/, ''), message: /BookgDt/ },
  ])('fails naming $description when it is missing', async ({ entry, message }) => {
    const { yielded, error } = await failure(camtDocument('camt.053', 8, [statement({ entries: [entry] }, 'camt.053')]));

    expect(entriesOf(yielded)).toEqual([]);
    expect(error).toMatchObject({ code: 'statement_malformed' });
    expect(String(error)).toMatch(message);
  });

  it.each([
    { description: 'an amount with a sign', entry: ntry({ amount: '-5.00' }, 8), message: /not an unsigned decimal/ },
    { description: 'an unsupported currency', entry: ntry({ currency: 'XXX' }, 8), message: /"XXX" is not a supported/ },
    { description: 'a bad direction', entry: ntry({ direction: 'CRDT' }, 8).replace('CRDT', 'CREDIT'), message: /"CREDIT", expected CRDT or DBIT/ },
    { description: 'an impossible date', entry: ntry({ bookingDate: '2026-02-30' }, 8), message: /"2026-02-30" is not a date/ },
  ])('fails on $description', async ({ entry, message }) => {
    const { error } = await failure(camtDocument('camt.053', 8, [statement({ entries: [entry] }, 'camt.053')]));

    expect(error).toMatchObject({ code: 'statement_malformed' });
    expect(String(error)).toMatch(message);
  });

  it('fails when the statement names no account', async () => {
    const xml = camtDocument('camt.053', 8, [`<Stmt><Id>S</Id>${ntry({}, 8)}</Stmt>`]);

    const { yielded, error } = await failure(xml);

    expect(yielded).toEqual([]);
    expect(String(error)).toMatch(/Acct\/Id is missing/);
  });

  it.each([
    { description: 'an empty file', input: '', message: /must contain a root element|no camt document/ },
    { description: 'text that is not XML', input: 'Date,Amount\n2026-03-01,10.00\n', message: /malformed XML/ },
    { description: 'a truncated document', input: singleStatement('camt.053', 8, [{}]).slice(0, -40), message: /malformed XML/ },
    { description: 'a DOCTYPE (entity expansion)', input: '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><Document/>', message: /DOCTYPE/ },
    { description: 'a declared non-UTF-8 encoding', input: '<?xml version="1.0" encoding="ISO-8859-1"?><Document/>', message: /ISO-8859-1/ },
  ])('fails on $description', async ({ input, message }) => {
    const { yielded, error } = await failure(input);

    expect(entriesOf(yielded)).toEqual([]);
    expect(error).toBeInstanceOf(CamtParseError);
    expect(String(error)).toMatch(message);
  });

  it('fails on bytes that are not UTF-8', async () => {
    const bytes = Buffer.from(singleStatement('camt.053', 8, [{ additionalInfo: 'CAF\u00c9' }]), 'latin1');

    const { error } = await failure([bytes]);

    expect(error).toMatchObject({ code: 'statement_malformed' });
    expect(String(error)).toMatch(/not valid UTF-8/);
  });

  it('fails with statement_too_large past the entry cap, naming the cap', async () => {
    const xml = singleStatement('camt.053', 8, Array.from({ length: 4 }, () => ({ amount: '1.00' })));

    const { error } = await failure(xml, { maxEntries: 3 });

    expect(error).toMatchObject({ code: 'statement_too_large' });
    expect(String(error)).toMatch(/more than 3 entries/);
  });
});

describe('parseCamt streaming', () => {
  it('reads a document cut into 7-byte chunks (splitting tags and multi-byte characters) like the whole file', async () => {
    const xml = readFileSync(fixture('viafintech-camt_parser/valid_example.xml'));
    const pieces = Array.from({ length: Math.ceil(xml.length / 7) }, (_, index) => xml.subarray(index * 7, index * 7 + 7));

    const chunked = entriesOf(await parseCamtDocument(pieces));
    const whole = entriesOf(await parseCamtDocument(xml.toString('utf8')));

    expect(chunked).toEqual(whole);
    expect(chunked[3]?.narrative).toContain('RÜCKBELASTUNG');
  });

  it('yields the first of 20,000 entries as soon as its chunk is read, not after the whole input', async () => {
    const total = 20_000;
    const header = camtDocument('camt.053', 8, ['@@']).split('@@');
    let produced = 0;
    let chunksWhenFirstEntry: number | null = null;
    let chunksProduced = 0;
    async function* source(): AsyncGenerator<string> {
      yield `${header[0] ?? ''}<Stmt><Id>BIG</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>`;
      while (produced < total) {
        const batch = Array.from({ length: 200 }, (_, index) =>
          ntry({ amount: `${produced + index + 1}.00`, acctSvcrRef: `R-${produced + index}`, transactions: [{ unstructured: [`INV ${produced + index}`] }] }, 8),
        );
        produced += batch.length;
        chunksProduced += 1;
        yield batch.join('');
      }
      yield `</Stmt>${header[1] ?? ''}`;
    }

    let count = 0;
    let sum = 0;
    for await (const event of parseCamt(source())) {
      if (event.type !== 'entry') continue;
      if (count === 0) chunksWhenFirstEntry = chunksProduced;
      count += 1;
      sum += event.entry.amount;
    }

    expect(count).toBe(total);
    expect(sum).toBe(((total * (total + 1)) / 2) * 100);
    // The input is 100 chunks of 200 entries; the first entry arrives after the first of them.
    expect(chunksWhenFirstEntry).toBe(1);
  });
});
