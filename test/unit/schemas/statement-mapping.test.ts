import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { StatementMappingSchema, isUsableDateFormat } from '../../../shared/schemas/statement-mapping';

const mapping = {
  name: 'Lloyds',
  columns: { bookingDate: 'Transaction Date', amount: 'Amount' },
  dateFormat: 'dd/MM/yyyy',
  decimalSeparator: '.',
};

const issuesOf = (input: unknown) => {
  const result = v.safeParse(StatementMappingSchema, input);
  return result.success ? [] : result.issues.map((issue) => ({ path: v.getDotPath(issue), message: issue.message }));
};

describe('StatementMappingSchema', () => {
  it('accepts a minimal mapping and defaults amountSign to credit_positive', () => {
    // Act
    const result = v.safeParse(StatementMappingSchema, mapping);

    // Assess
    expect(result.success && result.output.amountSign).toBe('credit_positive');
  });

  it('accepts credit and debit columns instead of one amount column', () => {
    expect(issuesOf({ ...mapping, columns: { bookingDate: 'Date', credit: 'Paid in', debit: 'Paid out' } })).toEqual([]);
  });

  it.each([
    { description: 'both kinds of amount column', columns: { bookingDate: 'D', amount: 'A', credit: 'C', debit: 'X' } },
    { description: 'no amount column', columns: { bookingDate: 'D' } },
    { description: 'a credit column without a debit one', columns: { bookingDate: 'D', credit: 'C' } },
  ])('refuses $description, on columns', ({ columns }) => {
    expect(issuesOf({ ...mapping, columns })).toEqual([{ path: 'columns', message: expect.stringContaining('either "amount"') }]);
  });

  it('refuses credit and debit mapped to the same header', () => {
    expect(issuesOf({ ...mapping, columns: { bookingDate: 'D', credit: 'Amount', debit: 'amount' } })).toEqual([
      { path: 'columns', message: 'columns "credit" and "debit" must be different headers' },
    ]);
  });

  it('refuses unknown fields and unknown column keys, naming them', () => {
    expect(issuesOf({ ...mapping, delimiter: ';', columns: { ...mapping.columns, payee: 'Payee' } })).toEqual([
      { path: 'columns.payee', message: expect.stringContaining('"payee"') },
      { path: 'delimiter', message: expect.stringContaining('"delimiter"') },
    ]);
  });

  it.each(['DD/MM/YYYY', 'MM/yyyy', 'dd/MM', 'dd/MM/yyyy Q!', 'banana'])('refuses the date format %j', (dateFormat) => {
    expect(issuesOf({ ...mapping, dateFormat })).toEqual([{ path: 'dateFormat', message: expect.stringContaining('dateFormat') }]);
  });

  it('refuses an empty date format once, as empty', () => {
    expect(issuesOf({ ...mapping, dateFormat: '' })[0]).toEqual({ path: 'dateFormat', message: 'dateFormat must not be empty' });
  });

  it.each(['dd/MM/yyyy', 'dd MMM yyyy', 'yyyy-MM-dd', 'd.M.yy', "yyyy-MM-dd'T'HH:mm:ssXXX", 'MM/dd/yyyy'])('accepts the date format %j', (dateFormat) => {
    expect(isUsableDateFormat(dateFormat)).toBe(true);
  });

  it.each([
    { field: 'decimalSeparator', value: ';' },
    { field: 'amountSign', value: 'positive' },
    { field: 'headerRow', value: 0 },
    { field: 'headerRow', value: 1.5 },
    { field: 'name', value: '  ' },
  ])('refuses $field = $value', ({ field, value }) => {
    expect(issuesOf({ ...mapping, [field]: value })).toEqual([{ path: field, message: expect.any(String) }]);
  });
});
