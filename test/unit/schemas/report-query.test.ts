import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ReportQuerySchema } from '../../../shared/schemas/tenant-api';

const issuesOf = (query: Readonly<Record<string, string | undefined>>) =>
  (v.safeParse(ReportQuerySchema, query).issues ?? []).map((issue) => ({ path: v.getDotPath(issue), message: issue.message }));

describe('ReportQuerySchema', () => {
  it.each([
    { description: 'a UTC period', query: { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00.000Z' } },
    { description: 'an offset and CSV', query: { from: '2024-02-29T00:00:00+01:00', to: '2024-03-01T00:00:00Z', format: 'csv' } },
  ])('accepts $description', ({ query }) => {
    expect(issuesOf(query)).toEqual([]);
  });

  it.each([
    { description: 'from missing', query: { to: '2026-12-01T00:00:00Z' }, path: 'from' },
    { description: 'a date that is not a timestamp', query: { from: '2026-11-01', to: '2026-12-01T00:00:00Z' }, path: 'from' },
    { description: '30 February', query: { from: '2026-02-30T00:00:00Z', to: '2026-12-01T00:00:00Z' }, path: 'from' },
    { description: '29 February of a common year', query: { from: '2026-01-01T00:00:00Z', to: '2026-02-29T00:00:00Z' }, path: 'to' },
    { description: 'an unknown format', query: { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', format: 'xlsx' }, path: 'format' },
  ])('refuses $description, naming the field', ({ query, path }) => {
    expect(issuesOf(query)).toEqual([expect.objectContaining({ path })]);
  });
});
