import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  CsvColumnMissingError,
  CsvHeaderNotFoundError,
  CsvStatementMalformedError,
  CsvStatementTooLargeError,
  parseCsvStatement,
  readCsvStatement,
  type CsvStatementOptions,
} from '../../../../shared/adapters/statements/csv-statement';
import { parseStatementAmount } from '../../../../shared/adapters/statements/statement-amount';
import { StatementMappingSchema, type StatementMappingInput } from '../../../../shared/schemas/statement-mapping';

const LLOYDS_CSV = readFileSync(new URL('../../../fixtures/statements/lloyds-csv/sample-statement.csv', import.meta.url));

const LLOYDS_MAPPING: StatementMappingInput = {
  name: 'Lloyds online banking export',
  columns: {
    bookingDate: 'Transaction Date',
    debit: 'Debit Amount',
    credit: 'Credit Amount',
    description: 'Transaction Description',
    balance: 'Balance',
  },
  dateFormat: 'dd/MM/yyyy',
  decimalSeparator: '.',
};

const SIGNED_MAPPING: StatementMappingInput = {
  name: 'Signed amount export',
  columns: { bookingDate: 'Date', amount: 'Amount', reference: 'Reference', description: 'Description', counterpartyName: 'Payee' },
  dateFormat: 'dd/MM/yyyy',
  decimalSeparator: '.',
};

const optionsFor = (mapping: StatementMappingInput, overrides: Partial<Omit<CsvStatementOptions, 'mapping'>> = {}): CsvStatementOptions => ({
  mapping: v.parse(StatementMappingSchema, mapping),
  currency: 'GBP',
  accountId: 'acc_01JD0000000000000000000001',
  ...overrides,
});

const signedCsv = (...rows: string[]) => ['Date,Amount,Reference,Description,Payee', ...rows].join('\n');

describe('parseCsvStatement: the Lloyds export', () => {
  it('reads all 12 rows of the sample with their direction, minor units, date and running balance', async () => {
    // Act
    const { entries, rejected } = await parseCsvStatement(LLOYDS_CSV, optionsFor(LLOYDS_MAPPING));

    // Assess
    expect(rejected).toEqual([]);
    expect(entries).toHaveLength(12);
    expect(entries[0]).toMatchObject({
      lineNumber: 2,
      status: 'booked',
      creditDebitIndicator: 'debit',
      amount: 899,
      currency: 'GBP',
      bookingDate: '2024-01-15',
      description: 'ACME STORE CD 1417    14JAN24',
      reference: null,
      counterpartyName: null,
      balance: 204059,
    });
    expect(entries[3]).toMatchObject({ lineNumber: 5, creditDebitIndicator: 'credit', amount: 200000, bookingDate: '2023-12-01', balance: 802949 });
    expect(entries[6]).toMatchObject({ creditDebitIndicator: 'debit', amount: 25000, description: expect.stringMatching(/^HMRC - TAXES/) });
    expect(entries[11]).toMatchObject({ lineNumber: 13, creditDebitIndicator: 'credit', amount: 50000, balance: 642670 });
  });

  it('gives every row a distinct key, and the same keys when the file is imported again', async () => {
    // Act
    const first = await parseCsvStatement(LLOYDS_CSV, optionsFor(LLOYDS_MAPPING));
    const again = await parseCsvStatement(LLOYDS_CSV.toString('utf8'), optionsFor(LLOYDS_MAPPING));

    // Assess
    const keys = first.entries.map((entry) => entry.entryKey);
    expect(new Set(keys).size).toBe(12);
    expect(again.entries.map((entry) => entry.entryKey)).toEqual(keys);
  });

  it('keys a row by what the bank printed, not by its line: an overlapping export yields the same keys', async () => {
    // Prepare: the same rows in another order (a chronological export) with the newest day left out.
    const [header, ...rows] = LLOYDS_CSV.toString('utf8').trimEnd().split('\n');
    const overlapping = [header, ...rows.slice(1).reverse()].join('\n');

    // Act
    const full = await parseCsvStatement(LLOYDS_CSV, optionsFor(LLOYDS_MAPPING));
    const partial = await parseCsvStatement(overlapping, optionsFor(LLOYDS_MAPPING));

    // Assess
    const fullKeys = new Set(full.entries.map((entry) => entry.entryKey));
    expect(partial.entries).toHaveLength(11);
    expect(partial.entries.every((entry) => fullKeys.has(entry.entryKey))).toBe(true);
  });

  it('keys the same row differently in another account', async () => {
    // Act
    const mine = await parseCsvStatement(LLOYDS_CSV, optionsFor(LLOYDS_MAPPING));
    const theirs = await parseCsvStatement(LLOYDS_CSV, optionsFor(LLOYDS_MAPPING, { accountId: 'acc_01JD0000000000000000000002' }));

    // Assess
    expect(theirs.entries[0]?.entryKey).not.toBe(mine.entries[0]?.entryKey);
  });
});

describe('parseCsvStatement: export styles', () => {
  it('reads a European export: semicolons, decimal comma, dots grouping thousands, euro sign', async () => {
    // Prepare
    const csv = ['Buchungstag;Betrag;Verwendungszweck', '01.02.2024;-1.234,56 €;Miete Februar', '02.02.2024;"12,00";Zinsen'].join('\r\n');
    const mapping: StatementMappingInput = {
      name: 'Sparkasse',
      columns: { bookingDate: 'Buchungstag', amount: 'Betrag', description: 'Verwendungszweck' },
      dateFormat: 'dd.MM.yyyy',
      decimalSeparator: ',',
    };

    // Act
    const { entries, rejected } = await parseCsvStatement(csv, optionsFor(mapping, { currency: 'EUR' }));

    // Assess
    expect(rejected).toEqual([]);
    expect(entries.map(({ creditDebitIndicator, amount, currency, bookingDate }) => ({ creditDebitIndicator, amount, currency, bookingDate }))).toEqual([
      { creditDebitIndicator: 'debit', amount: 123456, currency: 'EUR', bookingDate: '2024-02-01' },
      { creditDebitIndicator: 'credit', amount: 1200, currency: 'EUR', bookingDate: '2024-02-02' },
    ]);
  });

  it('reads separate credit and debit columns, a negative debit included, and rejects a row with both', async () => {
    // Prepare
    const csv = ['Date,Paid in,Paid out,Details', '03/01/2024,100.00,,Salary', '04/01/2024,,-25.50,Gas', '05/01/2024,1.00,2.00,Odd', '06/01/2024,0.00,9.99,Shop'].join('\n');
    const mapping: StatementMappingInput = {
      name: 'Two columns',
      columns: { bookingDate: 'Date', credit: 'Paid in', debit: 'Paid out', description: 'Details' },
      dateFormat: 'dd/MM/yyyy',
      decimalSeparator: '.',
    };

    // Act
    const { entries, rejected } = await parseCsvStatement(csv, optionsFor(mapping));

    // Assess
    expect(entries.map((entry) => [entry.lineNumber, entry.creditDebitIndicator, entry.amount])).toEqual([
      [2, 'credit', 10000],
      [3, 'debit', 2550],
      [5, 'debit', 999],
    ]);
    expect(rejected).toEqual([{ lineNumber: 4, message: 'both "Paid in" and "Paid out" hold an amount' }]);
  });

  it('reads a card statement where positive amounts are spending (debit_positive)', async () => {
    // Prepare
    const csv = ['Transaction date,Billing amount,Merchant', '10 Mar 2024,42.10,COFFEE CO', '11 Mar 2024,-15.00,REFUND SHOP'].join('\n');
    const mapping: StatementMappingInput = {
      name: 'Credit card',
      columns: { bookingDate: 'Transaction date', amount: 'Billing amount', counterpartyName: 'Merchant' },
      dateFormat: 'dd MMM yyyy',
      decimalSeparator: '.',
      amountSign: 'debit_positive',
    };

    // Act
    const { entries } = await parseCsvStatement(csv, optionsFor(mapping));

    // Assess
    expect(entries.map((entry) => [entry.bookingDate, entry.creditDebitIndicator, entry.amount, entry.counterpartyName])).toEqual([
      ['2024-03-10', 'debit', 4210, 'COFFEE CO'],
      ['2024-03-11', 'credit', 1500, 'REFUND SHOP'],
    ]);
  });

  it('skips preamble lines before the header and counts lines from the top of the file', async () => {
    // Prepare
    const csv = ['Account statement', 'Sort code,12-34-56', '', signedCsv('02/01/2024,10.00,INV-1,Payment,ACME LTD')].join('\n');

    // Act
    const { entries, rejected } = await parseCsvStatement(csv, optionsFor(SIGNED_MAPPING));

    // Assess
    expect(rejected).toEqual([]);
    expect(entries).toEqual([expect.objectContaining({ lineNumber: 5, amount: 1000, reference: 'INV-1', counterpartyName: 'ACME LTD' })]);
  });

  it('uses the mapping headerRow when given', async () => {
    // Prepare: line 1 also names every column, but the mapping says the header is line 2.
    const csv = ['Date,Amount,Reference,Description,Payee', signedCsv('02/01/2024,10.00,R,D,P')].join('\n');

    // Act
    const { entries, rejected } = await parseCsvStatement(csv, optionsFor({ ...SIGNED_MAPPING, headerRow: 2 }));

    // Assess
    expect(rejected).toEqual([]);
    expect(entries.map((entry) => entry.lineNumber)).toEqual([3]);
  });

  it('reports a trailer and blank lines without importing them', async () => {
    // Prepare
    const csv = signedCsv('02/01/2024,10.00,R1,First,', '', '03/01/2024,-2.00,R2,Second,', ',,,,', 'Total,8.00,,,', '');

    // Act
    const { entries, rejected } = await parseCsvStatement(csv, optionsFor(SIGNED_MAPPING));

    // Assess
    expect(entries.map((entry) => entry.lineNumber)).toEqual([2, 4]);
    expect(rejected).toEqual([
      { lineNumber: 3, message: 'blank line, not a transaction' },
      { lineNumber: 5, message: 'blank line, not a transaction' },
      { lineNumber: 6, message: 'booking date "Total" does not match the format dd/MM/yyyy' },
    ]);
  });

  it('makes a row whose date reads "pending" a pending transaction without a booking date', async () => {
    // Act
    const { entries } = await parseCsvStatement(signedCsv('Pending,-4.50,,CAFE,', '02/01/2024,-4.50,,CAFE,'), optionsFor(SIGNED_MAPPING));

    // Assess
    expect(entries.map((entry) => [entry.status, entry.bookingDate, entry.creditDebitIndicator, entry.amount])).toEqual([
      ['pending', null, 'debit', 450],
      ['booked', '2024-01-02', 'debit', 450],
    ]);
    expect(entries[0]?.entryKey).not.toBe(entries[1]?.entryKey);
  });

  it.each([
    { text: '120.00 CR', direction: 'credit', minor: 12000 },
    { text: '120.00DR', direction: 'debit', minor: 12000 },
    { text: '(75.25)', direction: 'debit', minor: 7525 },
    { text: '"£1,250.00"', direction: 'credit', minor: 125000 },
    { text: '" -£3.10 "', direction: 'debit', minor: 310 },
  ])('reads $text as a $direction of $minor minor units', async ({ text, direction, minor }) => {
    // Act
    const { entries, rejected } = await parseCsvStatement(signedCsv(`02/01/2024,${text},,,`), optionsFor(SIGNED_MAPPING));

    // Assess
    expect(rejected).toEqual([]);
    expect(entries.map((entry) => [entry.creditDebitIndicator, entry.amount])).toEqual([[direction, minor]]);
  });

  it('lets CR/DR decide the direction even on a debit_positive statement', async () => {
    // Act
    const { entries } = await parseCsvStatement(signedCsv('02/01/2024,5.00 CR,,,'), optionsFor({ ...SIGNED_MAPPING, amountSign: 'debit_positive' }));

    // Assess
    expect(entries.map((entry) => entry.creditDebitIndicator)).toEqual(['credit']);
  });

  it.each([
    { text: '12.3.4', reason: 'is not a number with "." as the decimal separator' },
    { text: '1.005', reason: 'non-zero digits beyond the 2 decimal places of GBP' },
    { text: '-5.00 CR', reason: 'has both a sign and CR' },
    { text: '0.00', reason: 'is zero' },
    { text: '', reason: 'no amount' },
  ])('rejects the row with amount "$text" and says why, and keeps reading', async ({ text, reason }) => {
    // Act
    const { entries, rejected } = await parseCsvStatement(signedCsv(`02/01/2024,${text},,,`, '03/01/2024,1.00,,,'), optionsFor(SIGNED_MAPPING));

    // Assess
    expect(rejected).toEqual([{ lineNumber: 2, message: expect.stringContaining(reason) }]);
    expect(entries.map((entry) => entry.lineNumber)).toEqual([3]);
  });

  it('rejects a row whose date does not exist', async () => {
    // Act
    const { rejected } = await parseCsvStatement(signedCsv('31/02/2024,1.00,,,'), optionsFor(SIGNED_MAPPING));

    // Assess
    expect(rejected).toEqual([{ lineNumber: 2, message: 'booking date "31/02/2024" does not match the format dd/MM/yyyy' }]);
  });

  it('numbers rows by the file line they start on when a quoted cell spans lines', async () => {
    // Act
    const { entries } = await parseCsvStatement(signedCsv('02/01/2024,1.00,,"two\nlines",', '03/01/2024,2.00,,,'), optionsFor(SIGNED_MAPPING));

    // Assess
    expect(entries.map((entry) => [entry.lineNumber, entry.description])).toEqual([
      [2, 'two\nlines'],
      [4, null],
    ]);
  });

  it('reads the same date cell the same way on every row', async () => {
    // Act: the second and fourth rows repeat dates, the third is a bad date between them.
    const { entries, rejected } = await parseCsvStatement(
      signedCsv('02/01/2024,1.00,,,', '02/01/2024,2.00,,,', '30/02/2024,3.00,,,', '30/02/2024,4.00,,,'),
      optionsFor(SIGNED_MAPPING),
    );

    // Assess
    expect(entries.map((entry) => entry.bookingDate)).toEqual(['2024-01-02', '2024-01-02']);
    expect(rejected.map((rejection) => rejection.lineNumber)).toEqual([4, 5]);
  });

  it('keeps two identical rows apart by their order among identical rows', async () => {
    // Act
    const { entries } = await parseCsvStatement(signedCsv('02/01/2024,-2.50,,COFFEE,', '02/01/2024,-2.50,,COFFEE,'), optionsFor(SIGNED_MAPPING));

    // Assess
    expect(entries).toHaveLength(2);
    expect(entries[0]?.entryKey).not.toBe(entries[1]?.entryKey);
  });

  it('reads a time of day as UTC when the date format has one', async () => {
    // Act
    const { entries } = await parseCsvStatement(signedCsv('2024-01-02 16:05,1.00,,,'), optionsFor({ ...SIGNED_MAPPING, dateFormat: 'yyyy-MM-dd HH:mm' }));

    // Assess
    expect(entries.map((entry) => entry.bookingDate)).toEqual(['2024-01-02T16:05:00.000Z']);
  });

  it('streams UTF-8 split across chunks, a BOM and a £ cut in half included', async () => {
    // Prepare
    const bytes = new TextEncoder().encode(`\uFEFF${signedCsv('02/01/2024,£7.00,,,')}`);
    const chunks = Array.from(bytes, (byte) => Uint8Array.of(byte));

    // Act
    const items = [];
    for await (const item of readCsvStatement(chunks, optionsFor(SIGNED_MAPPING))) {
      items.push(item);
    }

    // Assess
    expect(items).toEqual([{ kind: 'entry', entry: expect.objectContaining({ amount: 700, creditDebitIndicator: 'credit' }) }]);
  });
});

describe('parseCsvStatement: files that cannot be imported', () => {
  it('names the mapped columns when no line holds them all', async () => {
    // Act
    const reading = parseCsvStatement('Date,Amount,Reference,Description\n02/01/2024,1.00,,\n', optionsFor(SIGNED_MAPPING));

    // Assess
    await expect(reading).rejects.toBeInstanceOf(CsvHeaderNotFoundError);
    await expect(reading).rejects.toMatchObject({ code: 'statement_header_not_found', message: expect.stringContaining('"Payee"') });
  });

  it('names the missing column when the headerRow line lacks it', async () => {
    // Act
    const reading = parseCsvStatement('Date,Amount,Reference,Description\n02/01/2024,1.00,,\n', optionsFor({ ...SIGNED_MAPPING, headerRow: 1 }));

    // Assess
    await expect(reading).rejects.toBeInstanceOf(CsvColumnMissingError);
    await expect(reading).rejects.toMatchObject({ code: 'statement_column_missing', missingColumns: ['Payee'] });
  });

  it('refuses more rows than the cap', async () => {
    // Act
    const reading = parseCsvStatement(signedCsv('02/01/2024,1.00,,,', '02/01/2024,2.00,,,', '02/01/2024,3.00,,,'), optionsFor(SIGNED_MAPPING, { maxRows: 2 }));

    // Assess
    await expect(reading).rejects.toBeInstanceOf(CsvStatementTooLargeError);
  });

  it('refuses broken CSV quoting as a malformed file', async () => {
    // Act
    const reading = parseCsvStatement(signedCsv('02/01/2024,"1.00,,,'), optionsFor(SIGNED_MAPPING));

    // Assess
    await expect(reading).rejects.toBeInstanceOf(CsvStatementMalformedError);
  });

  it('refuses bytes that are not UTF-8', async () => {
    // Prepare: "£" in Windows-1252.
    const bytes = Uint8Array.from([...new TextEncoder().encode(signedCsv('02/01/2024,')), 0xa3, ...new TextEncoder().encode('1.00,,,')]);

    // Act
    const reading = parseCsvStatement([bytes], optionsFor(SIGNED_MAPPING));

    // Assess
    await expect(reading).rejects.toBeInstanceOf(CsvStatementMalformedError);
  });
});

describe('parseStatementAmount', () => {
  /** Writes `minor` (2-decimal currency) the way some bank export might. */
  const formatted = fc
    .record({
      minor: fc.integer({ min: 1, max: 99_999_999_999 }),
      decimalSeparator: fc.constantFrom<'.' | ','>('.', ','),
      grouped: fc.boolean(),
      symbol: fc.constantFrom('', '£', '€', '$', 'GBP '),
      symbolAfter: fc.boolean(),
      sign: fc.constantFrom('none', 'minus', 'plus', 'parentheses', 'trailing-minus', 'CR', 'DR'),
      padding: fc.constantFrom('', ' ', '  '),
    })
    .map((spec) => {
      const whole = String(Math.floor(spec.minor / 100));
      const fraction = String(spec.minor % 100).padStart(2, '0');
      const grouping = spec.decimalSeparator === '.' ? ',' : '.';
      const wholeText = spec.grouped ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, grouping) : whole;
      const number = `${wholeText}${spec.decimalSeparator}${fraction}`;
      const withSymbol = spec.symbolAfter ? `${number}${spec.symbol.trim()}` : `${spec.symbol}${number}`;
      const text = {
        none: withSymbol,
        minus: `-${withSymbol}`,
        plus: `+${withSymbol}`,
        parentheses: `(${withSymbol})`,
        'trailing-minus': `${withSymbol}-`,
        CR: `${withSymbol} CR`,
        DR: `${withSymbol}DR`,
      }[spec.sign];
      return { ...spec, text: `${spec.padding}${text}${spec.padding}` };
    });

  it('reads any amount back to the same minor units, whatever symbol, grouping and sign it is written with', () => {
    fc.assert(
      fc.property(formatted, ({ text, minor, decimalSeparator, sign }) => {
        const read = parseStatementAmount(text, decimalSeparator, 'GBP');
        expect(read).toEqual({
          ok: true,
          amount: {
            minor,
            negative: sign === 'minus' || sign === 'parentheses' || sign === 'trailing-minus',
            marker: sign === 'CR' || sign === 'DR' ? sign : null,
          },
        });
      }),
    );
  });

  it.each([
    { text: '1,23', decimalSeparator: '.' as const },
    { text: '12,34.5', decimalSeparator: '.' as const },
    { text: '£€5', decimalSeparator: '.' as const },
    { text: '--5', decimalSeparator: '.' as const },
    { text: '5£00', decimalSeparator: '.' as const },
    { text: '1.234.5', decimalSeparator: ',' as const },
  ])('refuses $text with decimal separator $decimalSeparator', ({ text, decimalSeparator }) => {
    expect(parseStatementAmount(text, decimalSeparator, 'GBP')).toMatchObject({ ok: false });
  });
});
