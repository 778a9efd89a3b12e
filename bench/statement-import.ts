/**
 * `npm run bench:statements` (part of `npm run bench`): importing a 50 MB camt.053 statement — time and peak memory —
 * next to a 5 MB one, to show the import streams (peak memory must not grow with the file).
 *
 * 1. Writes two camt.053.001.08 files to a temporary folder, streamed entry by entry (never built in memory):
 *    BENCH_STATEMENT_MB (default 50) and a tenth of it. One statement on a GB IBAN; realistic entries: booked and a
 *    few pending, credits and debits, each with its BkTxCd (domain/family/sub-family and proprietary), AcctSvcrRef,
 *    one TxDtls with Refs (AcctSvcrRef, InstrId, EndToEndId), the other party (name, IBAN), RmtInf (structured
 *    creditor reference or unstructured text), AddtlTxInf; one entry in 40 a batch of 3 TxDtls with their amounts.
 * 2. Runs `importStatement(path)` — THE measured operation — in a child process per file (so its peak memory is the
 *    operation's own), BENCH_STATEMENT_RUNS (default 3) times per file, sizes alternating: wall time, entries,
 *    entries/s, CPU time, peak RSS (process.resourceUsage().maxRSS), the RSS once the modules are loaded (before the
 *    operation), and peak heapUsed sampled every 5 ms.
 *
 * 3. Runs the large file once more with the child's old generation capped (--max-old-space-size, default 32 MiB):
 *    a parse that held the document could not finish.
 *
 * Writes bench/results/statements.json. Exits 1 if an import failed, did not read every entry written, if the
 * 50 MB file's peak RSS above the loaded baseline is more than 3 times the 5 MB file's (a parse holding the document
 * would be about 10 times), or if the capped run failed.
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { readStatement } from '../shared/adapters/statements/statement-reader';
import type { Account } from '../shared/domain/accounts/account';
import { phases } from './support';

const MEGABYTES = Number(process.env.BENCH_STATEMENT_MB ?? 50);
const RUNS = Number(process.env.BENCH_STATEMENT_RUNS ?? 3);
/**
 * A read holding the document grows about 10x from 5 MB to 50 MB. Uncapped peaks vary with when V8 collects (the
 * mapped import makes more short-lived garbage per entry than the parser alone: 2.41x in one run), so this gate is
 * loose; the strict proof is the run with the old generation capped at CAPPED_OLD_SPACE_MIB, which must finish.
 */
const MAX_GROWTH = 3;
const CAPPED_OLD_SPACE_MIB = Number(process.env.BENCH_STATEMENT_CAP_MIB ?? 32);
const CHILD_FLAG = '--measure-import';

/** The account the generated statements are about (GB29 NWBK 6016 1331 9268 19: sort code 60-16-13, 31926819). */
const ACCOUNT: Account = {
  id: 'acc_BENCH',
  tenantId: 'ten_BENCH',
  status: 'active',
  provider: 'sandbox',
  name: 'Bench Ltd',
  sortCode: '601613',
  accountNumber: '31926819',
  iban: null,
  currency: 'GBP',
  sandboxProfile: 'exact',
  aspspId: null,
  openingBalance: 0,
  consent: {
    id: 'con_BENCH',
    status: 'authorised',
    expiresAt: null,
    reconfirmBy: '2027-01-01T00:00:00.000Z',
    authorisationUrl: null,
    bankConsentId: null,
    pendingBankConsentId: null,
    statusReason: null,
    reconfirmationNotifiedFor: null,
  },
  createdAt: '2026-01-01T00:00:00.000Z',
  bankAccountId: null,
  syncCursor: null,
  connectedAt: null,
  version: 1,
};

/**
 * THE measured operation: what `POST /v1/accounts/{id}/statements` does with the file before it answers, and what
 * the import worker does again with the kept file: `readStatement` (shared/adapters/statements/statement-reader.ts)
 * streams it, checks the statement names the account, and maps every entry to the transaction it stores (identity,
 * reference, counterparty, bank transaction code), or to a rejection. Read from disk in 64 KiB chunks, as the worker
 * reads the S3 object.
 */
export const importStatement = async (path: string): Promise<{ entries: number; skipped: number }> => {
  let entries = 0;
  let skipped = 0;
  const file = createReadStream(path, { highWaterMark: 64 * 1024 });
  for await (const item of readStatement(file, { format: 'camt', account: ACCOUNT, mapping: null, encoding: null, importedAt: ACCOUNT.createdAt })) {
    if (item.kind === 'transaction') entries += 1;
    else skipped += 1;
  }
  return { entries, skipped };
};

// ---------------------------------------------------------------------------------------------------------------
// The child: measures one importStatement(path) and prints one JSON line.

const measureInChild = async (path: string) => {
  const rssLoaded = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  let peakRss = rssLoaded;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    if (usage.heapUsed > peakHeap) peakHeap = usage.heapUsed;
    if (usage.rss > peakRss) peakRss = usage.rss;
  }, 5);
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const counted = await importStatement(path);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  const usage = process.memoryUsage();
  peakHeap = Math.max(peakHeap, usage.heapUsed);
  process.stdout.write(
    `${JSON.stringify({ ...counted, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, rssLoaded, maxRss: process.resourceUsage().maxRSS * 1024, sampledPeakRss: Math.max(peakRss, usage.rss), peakHeapUsed: peakHeap })}\n`,
  );
};

// ---------------------------------------------------------------------------------------------------------------
// The parent: writes the files, runs the children, compares.

const PAYERS = ['ACME TRADING GMBH', 'NORTHWIND BV', 'JANE SMITH', 'O BRIEN AND SONS LTD', 'KAROLINA NOWAK', 'BLUE FIN CATERING SARL'];
const PAYEES = ['BRITISH GAS', 'WORLDPAY LTD', 'BOOKER WHOLESALE', 'LANDLORD PROPERTIES LTD', 'HMRC', 'AMAZON EU SARL'];
const IBANS = ['DE89370400440532013000', 'NL91ABNA0417164300', 'FR1420041010050500013M02606', 'GB33BUKB20201555555555', 'IE29AIBK93115212345678'];
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const money = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;

const header = (statementId: string, from: string, to: string) => `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrStmt>
    <GrpHdr>
      <MsgId>MSG-${statementId}</MsgId>
      <CreDtTm>${to}T23:59:00+00:00</CreDtTm>
      <MsgPgntn><PgNb>1</PgNb><LastPgInd>true</LastPgInd></MsgPgntn>
    </GrpHdr>
    <Stmt>
      <Id>${statementId}</Id>
      <ElctrncSeqNb>1</ElctrncSeqNb>
      <CreDtTm>${to}T23:59:00+00:00</CreDtTm>
      <FrToDt><FrDtTm>${from}T00:00:00+00:00</FrDtTm><ToDtTm>${to}T23:59:59+00:00</ToDtTm></FrToDt>
      <Acct>
        <Id><IBAN>GB29NWBK60161331926819</IBAN></Id>
        <Ccy>GBP</Ccy>
        <Ownr><Nm>BUSY BUSINESS LTD</Nm></Ownr>
        <Svcr><FinInstnId><BICFI>NWBKGB2L</BICFI></FinInstnId></Svcr>
      </Acct>
      <Bal>
        <Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="GBP">125000.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt><Dt>${from}</Dt></Dt>
      </Bal>
`;
const FOOTER = `    </Stmt>
  </BkToCstmrStmt>
</Document>
`;

/** One transaction's details; the other party is the debtor of a credit, the creditor of a debit. */
const txDetails = (i: number, part: number, credit: boolean, minor: number | null, date: string) => {
  const party = credit ? (PAYERS[i % PAYERS.length] ?? 'PAYER') : (PAYEES[i % PAYEES.length] ?? 'PAYEE');
  const iban = IBANS[(i + part) % IBANS.length] ?? 'DE89370400440532013000';
  const reference = i % 3 === 0 ? `RF${String(18 + (i % 80)).padStart(2, '0')}INV${String(i).padStart(8, '0')}` : null;
  const role = credit ? 'Dbtr' : 'Cdtr';
  return `            <TxDtls>
              <Refs>
                <AcctSvcrRef>ASR-${i}-${part}</AcctSvcrRef>
                <InstrId>INSTR-${String(i).padStart(9, '0')}-${part}</InstrId>
                <EndToEndId>E2E-${date.replace(/-/g, '')}-${String(i).padStart(9, '0')}-${part}</EndToEndId>
              </Refs>
${minor === null ? '' : `              <Amt Ccy="GBP">${money(minor)}</Amt>\n              <CdtDbtInd>${credit ? 'CRDT' : 'DBIT'}</CdtDbtInd>\n`}              <BkTxCd>
                <Domn><Cd>PMNT</Cd><Fmly><Cd>${credit ? 'RCDT' : 'ICDT'}</Cd><SubFmlyCd>${credit ? 'ESCT' : 'DMCT'}</SubFmlyCd></Fmly></Domn>
                <Prtry><Cd>${credit ? 'FPI' : 'FPO'}</Cd><Issr>NWBK</Issr></Prtry>
              </BkTxCd>
              <RltdPties>
                <${role}><Pty><Nm>${escapeXml(party)}</Nm><PstlAdr><Ctry>GB</Ctry><AdrLine>${i % 900} HIGH STREET</AdrLine></PstlAdr></Pty></${role}>
                <${role}Acct><Id><IBAN>${iban}</IBAN></Id></${role}Acct>
              </RltdPties>
              <RmtInf>
${
  reference === null
    ? `                <Ustrd>INVOICE ${String(i).padStart(8, '0')} THANK YOU &amp; KIND REGARDS</Ustrd>`
    : `                <Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${reference}</Ref></CdtrRefInf></Strd>`
}
              </RmtInf>
              <AddtlTxInf>${credit ? 'FASTER PAYMENT RECEIVED' : 'FASTER PAYMENT SENT'} ${escapeXml(party)} ${i}</AddtlTxInf>
            </TxDtls>
`;
};

/** The i-th entry: one TxDtls, or (one in 40) a batch of three with their own amounts. */
const entryXml = (i: number, date: string): { xml: string; entries: number } => {
  const credit = i % 5 !== 0 && i % 5 !== 3;
  const pending = i % 250 === 7;
  const batch = i % 40 === 11;
  const parts = batch ? [1_250 + (i % 9_000), 3_400 + (i % 7_000), 990 + (i % 5_000)] : [1_000 + ((i * 7_919) % 2_500_000)];
  const total = parts.reduce((sum, part) => sum + part, 0);
  const details = batch ? parts.map((minor, part) => txDetails(i, part, credit, minor, date)).join('') : txDetails(i, 0, credit, null, date);
  const xml = `      <Ntry>
        <NtryRef>${i}</NtryRef>
        <Amt Ccy="GBP">${money(total)}</Amt>
        <CdtDbtInd>${credit ? 'CRDT' : 'DBIT'}</CdtDbtInd>
        <Sts><Cd>${pending ? 'PDNG' : 'BOOK'}</Cd></Sts>
        <BookgDt><DtTm>${date}T${String(8 + (i % 10)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00+00:00</DtTm></BookgDt>
        <ValDt><Dt>${date}</Dt></ValDt>
        <AcctSvcrRef>NWBK-${date.replace(/-/g, '')}-${String(i).padStart(9, '0')}</AcctSvcrRef>
        <BkTxCd>
          <Domn><Cd>PMNT</Cd><Fmly><Cd>${credit ? 'RCDT' : 'ICDT'}</Cd><SubFmlyCd>${batch ? 'BOOK' : credit ? 'ESCT' : 'DMCT'}</SubFmlyCd></Fmly></Domn>
          <Prtry><Cd>${credit ? 'CR' : 'DR'}</Cd><Issr>NWBK</Issr></Prtry>
        </BkTxCd>
        <NtryDtls>
${batch ? `          <Btch><NbOfTxs>${parts.length}</NbOfTxs></Btch>\n` : ''}${details}        </NtryDtls>
        <AddtlNtryInf>${batch ? 'BATCH CREDIT' : credit ? 'FASTER PAYMENT' : 'DIRECT DEBIT'}</AddtlNtryInf>
      </Ntry>
`;
  return { xml, entries: parts.length };
};

/** Streams a camt.053 of about `bytes` to `path`, honouring the stream's back-pressure; returns the entries written. */
const writeStatement = async (path: string, bytes: number): Promise<{ bytes: number; ntry: number; entries: number }> => {
  const out = createWriteStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  const firstDay = Date.UTC(2026, 0, 1);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  let written = 0;
  let ntry = 0;
  let entries = 0;
  const head = header(`STMT-${bytes}`, '2026-01-01', '2026-10-31');
  await write(head);
  written += Buffer.byteLength(head);
  while (written + FOOTER.length < bytes) {
    // About 100 entries a day, so a 50 MB file is a few months of a busy business.
    const date = new Date(firstDay + Math.floor(ntry / 100) * 86_400_000).toISOString().slice(0, 10);
    const entry = entryXml(ntry, date);
    await write(entry.xml);
    written += Buffer.byteLength(entry.xml);
    ntry += 1;
    entries += entry.entries;
  }
  await write(FOOTER);
  out.end();
  await once(out, 'finish');
  return { bytes: statSync(path).size, ntry, entries };
};

interface ChildResult {
  readonly entries: number;
  readonly skipped: number;
  readonly seconds: number;
  /** CPU time of the child (user + system) during the operation: steadier than wall time on a shared machine. */
  readonly cpuSeconds: number;
  readonly rssLoaded: number;
  readonly maxRss: number;
  readonly sampledPeakRss: number;
  readonly peakHeapUsed: number;
}

/** One measured import in its own node process; `maxOldSpaceMiB` caps its old-generation heap (--max-old-space-size). */
const runChild = async (path: string, maxOldSpaceMiB?: number): Promise<ChildResult> => {
  const heapFlags = maxOldSpaceMiB === undefined ? [] : [`--max-old-space-size=${maxOldSpaceMiB}`];
  const child = spawn(process.execPath, [...heapFlags, '--import', 'tsx', fileURLToPath(import.meta.url), CHILD_FLAG, path], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number | null];
  const line = stdout.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || line === '') throw new Error(`the import of ${path} exited ${code}: ${stderr.slice(-2000)}`);
  return JSON.parse(line) as ChildResult;
};

const mib = (bytes: number) => +(bytes / 2 ** 20).toFixed(1);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? Number.NaN;

const main = async () => {
  const { started: benchStarted, phase } = phases();
  const folder = mkdtempSync(join(tmpdir(), 'settled-bench-statements-'));
  try {
    const sizes = [MEGABYTES / 10, MEGABYTES];
    const files: { megabytes: number; path: string; bytes: number; ntry: number; entries: number; writeSeconds: number }[] = [];
    for (const megabytes of sizes) {
      const path = join(folder, `camt053-${megabytes}mb.xml`);
      const started = Date.now();
      const written = await writeStatement(path, megabytes * 1_000_000);
      files.push({ megabytes, path, ...written, writeSeconds: (Date.now() - started) / 1000 });
      phase(`wrote ${path}: ${mib(written.bytes)} MiB, ${written.ntry} Ntry, ${written.entries} entries`);
    }
    const runs = new Map<number, ChildResult[]>(sizes.map((size) => [size, []]));
    const problems: string[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      for (const file of run % 2 === 0 ? files : [...files].reverse()) {
        const result = await runChild(file.path);
        phase(`${file.megabytes} MB run ${run + 1}: ${result.entries} entries in ${result.seconds.toFixed(2)} s (CPU ${result.cpuSeconds.toFixed(2)} s), max RSS ${mib(result.maxRss)} MiB`);
        if (result.entries !== file.entries) problems.push(`${file.megabytes} MB: ${result.entries} entries read, ${file.entries} written`);
        runs.get(file.megabytes)?.push(result);
      }
    }
    // The proof of streaming that does not depend on when V8 chooses to collect: the large file again, with the old
    // generation capped far below the file's size. A parse that held the document would run out of heap.
    const largest = files.at(-1);
    let capped: { maxOldSpaceMiB: number; ok: boolean; seconds?: number; maxRssMiB?: number; peakHeapUsedMiB?: number; error?: string } | undefined;
    if (largest !== undefined) {
      try {
        const result = await runChild(largest.path, CAPPED_OLD_SPACE_MIB);
        capped = { maxOldSpaceMiB: CAPPED_OLD_SPACE_MIB, ok: result.entries === largest.entries, seconds: +result.seconds.toFixed(2), maxRssMiB: mib(result.maxRss), peakHeapUsedMiB: mib(result.peakHeapUsed) };
      } catch (error) {
        capped = { maxOldSpaceMiB: CAPPED_OLD_SPACE_MIB, ok: false, error: (error instanceof Error ? error.message : String(error)).slice(-300) };
      }
      phase(`${largest.megabytes} MB with --max-old-space-size=${CAPPED_OLD_SPACE_MIB}: ${capped.ok ? `ok in ${capped.seconds} s` : `failed ${capped.error ?? ''}`}`);
      if (!capped.ok) problems.push(`${largest.megabytes} MB did not parse with the old generation capped at ${CAPPED_OLD_SPACE_MIB} MiB`);
    }
    const perFile = files.map((file) => {
      const taken = runs.get(file.megabytes) ?? [];
      const seconds = median(taken.map((r) => r.seconds));
      return {
        file: `camt.053.001.08, ${file.megabytes} MB`,
        bytes: file.bytes,
        ntry: file.ntry,
        entries: file.entries,
        runs: taken.length,
        seconds: +seconds.toFixed(2),
        secondsAll: taken.map((r) => +r.seconds.toFixed(2)),
        cpuSeconds: +median(taken.map((r) => r.cpuSeconds)).toFixed(2),
        entriesPerCpuSecond: Math.round(file.entries / median(taken.map((r) => r.cpuSeconds))),
        entriesPerSecond: Math.round(file.entries / seconds),
        megabytesPerSecond: +(file.bytes / 1e6 / seconds).toFixed(1),
        maxRssMiB: mib(median(taken.map((r) => r.maxRss))),
        rssLoadedMiB: mib(median(taken.map((r) => r.rssLoaded))),
        maxRssAboveLoadedMiB: mib(median(taken.map((r) => r.maxRss - r.rssLoaded))),
        peakHeapUsedMiB: mib(median(taken.map((r) => r.peakHeapUsed))),
        writeSeconds: +file.writeSeconds.toFixed(1),
      };
    });
    const [small, large] = perFile;
    const growth = small !== undefined && large !== undefined ? +(large.maxRssAboveLoadedMiB / Math.max(1, small.maxRssAboveLoadedMiB)).toFixed(2) : Number.NaN;
    const heapGrowth = small !== undefined && large !== undefined ? +(large.peakHeapUsedMiB / small.peakHeapUsedMiB).toFixed(2) : Number.NaN;
    if (!(growth <= MAX_GROWTH)) problems.push(`peak RSS above the loaded baseline grows ${growth} times from ${MEGABYTES / 10} MB to ${MEGABYTES} MB (limit ${MAX_GROWTH})`);
    const result = {
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      command: `BENCH_STATEMENT_MB=${MEGABYTES} BENCH_STATEMENT_RUNS=${RUNS} npm run bench:statements`,
      operation: 'importStatement(path) in bench/statement-import.ts: readStatement (parse, account check, every entry mapped to its transaction) over a read stream of the file',
      note: 'each run in its own child process (node --import tsx); medians over the runs; maxRss from process.resourceUsage(), rssLoaded once the modules are loaded, heapUsed sampled every 5 ms',
      files: perFile,
      cappedHeapRun: capped,
      ratio50To5: { maxRssAboveLoaded: growth, peakHeapUsed: heapGrowth, bytes: small !== undefined && large !== undefined ? +(large.bytes / small.bytes).toFixed(2) : Number.NaN },
      problems,
      totalSeconds: +((Date.now() - benchStarted) / 1000).toFixed(1),
    };
    console.log(JSON.stringify(result, null, 2));
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/statements.json', `${JSON.stringify(result, null, 2)}\n`);
    if (problems.length > 0) {
      console.error(`\nFAILED:\n- ${problems.join('\n- ')}`);
      process.exitCode = 1;
    } else {
      console.log(`\nOK: ${MEGABYTES} MB parsed in ${large?.seconds} s, peak RSS above the loaded baseline ${growth}× the ${MEGABYTES / 10} MB file's.`);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
};

if (process.argv[2] === CHILD_FLAG) {
  const path = process.argv[3];
  if (path === undefined) throw new Error(`usage: ${CHILD_FLAG} <file>`);
  await measureInChild(path);
} else {
  await main();
}
