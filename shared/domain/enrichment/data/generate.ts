/**
 * Regenerates the two compact lists the enrichment module reads, from their sources (see SOURCES.md):
 *
 *   node --import tsx shared/domain/enrichment/data/generate.ts           rewrite mcc.json and bank-transaction-codes.json
 *   node --import tsx shared/domain/enrichment/data/generate.ts --check   fail if either is not what the sources give
 *
 * - mcc.json from the `mcc` npm package (pinned dev dependency): every code with its IRS description (the
 *   category-like label: "Airlines" for 3000-3299 rather than each airline's name), else its edited description.
 *   Consecutive codes with the same description are one [from, to, description] range, so the file stays small.
 * - bank-transaction-codes.json from upstream/tillbooks-btc-codes-iso-20022.excerpt.json (the ISO 20022 BTC
 *   codification's domain, family and sub-family names).
 *
 * Both only trim and collapse runs of white space in the names; nothing is typed here. A build-time script, never
 * imported by the application.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as v from 'valibot';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const MccList = v.array(
  v.object({ mcc: v.pipe(v.string(), v.regex(/^[0-9]{4}$/)), edited_description: v.string(), irs_description: v.string() }),
);
const Names = v.record(v.string(), v.pipe(v.string(), v.minLength(1)));
const BtcExcerpt = v.object({ domains: Names, families: Names, subFamilies: Names });

const tidy = (text: string): string => text.replace(/\s+/g, ' ').trim();

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

export type MccRange = readonly [from: number, to: number, description: string];

const mccRanges = (): { version: string; ranges: MccRange[] } => {
  const packageJson = v.parse(v.object({ version: v.string() }), readJson(require.resolve('mcc/package.json')));
  const list = v.parse(MccList, readJson(require.resolve('mcc/mcc_codes.json')));
  const byCode = new Map<number, string>();
  for (const entry of list) {
    const description = tidy(entry.irs_description) || tidy(entry.edited_description);
    if (description === '') throw new Error(`MCC ${entry.mcc} has no description`);
    const code = Number(entry.mcc);
    if (byCode.has(code)) throw new Error(`MCC ${entry.mcc} is listed twice`);
    byCode.set(code, description);
  }
  const ranges: MccRange[] = [];
  for (const code of [...byCode.keys()].sort((a, b) => a - b)) {
    const description = byCode.get(code) ?? '';
    const last = ranges.at(-1);
    if (last !== undefined && last[1] === code - 1 && last[2] === description) ranges[ranges.length - 1] = [last[0], code, description];
    else ranges.push([code, code, description]);
  }
  return { version: packageJson.version, ranges };
};

const btcNames = (): v.InferOutput<typeof BtcExcerpt> => {
  const excerpt = v.parse(BtcExcerpt, readJson(join(here, 'upstream', 'tillbooks-btc-codes-iso-20022.excerpt.json')));
  const tidyAll = (names: Record<string, string>): Record<string, string> =>
    Object.fromEntries(Object.entries(names).map(([code, name]) => [code, tidy(name)]).sort(([a = ''], [b = '']) => a.localeCompare(b)));
  return { domains: tidyAll(excerpt.domains), families: tidyAll(excerpt.families), subFamilies: tidyAll(excerpt.subFamilies) };
};

/** The two files' contents, as the sources give them now. */
export const generatedData = (): { readonly 'mcc.json': unknown; readonly 'bank-transaction-codes.json': unknown } => {
  const mcc = mccRanges();
  return {
    'mcc.json': { $generated: `by generate.ts from the mcc npm package ${mcc.version} (mcc_codes.json); see SOURCES.md`, ranges: mcc.ranges },
    'bank-transaction-codes.json': {
      $generated: 'by generate.ts from upstream/tillbooks-btc-codes-iso-20022.excerpt.json (ISO 20022 BTC codification v7.0); see SOURCES.md',
      ...btcNames(),
    },
  };
};

/** A generated file's text: one line of JSON. */
export const fileText = (value: unknown): string => `${JSON.stringify(value)}\n`;

const emit = (file: string, value: unknown, check: boolean): boolean => {
  const path = join(here, file);
  const next = fileText(value);
  let current: string | null = null;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = null;
  }
  if (current === next) {
    console.log(`unchanged ${file}`);
    return true;
  }
  if (check) {
    console.error(`DRIFTED   ${file}: run the generator and review the diff`);
    return false;
  }
  writeFileSync(path, next);
  console.log(`written   ${file}`);
  return true;
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const check = process.argv.includes('--check');
  const ok = Object.entries(generatedData())
    .map(([file, value]) => emit(file, value, check))
    .every(Boolean);
  if (!ok) process.exit(1);
}
