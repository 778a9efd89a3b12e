// ISO 20022 camt.053 (BkToCstmrStmt) and camt.054 (BkToCstmrDbtCdtNtfctn), versions .001.02 to .001.08, read with
// `saxes`, a maintained streaming XML parser: the file goes through in chunks and only one `Ntry` (plus the small
// statement header) is held as a tree at a time, so a 50 MB file never needs 50 MB of objects. Entries are yielded as
// their `Ntry` closes. saxes does not expand external entities; a DOCTYPE is refused outright.
//
// Entry identity (`entryKey`), for entries that carry no bank transaction id:
//   SHA-256 over JSON [account (IBAN, else `othr:<scheme>:<id>`), status, reversal, direction, amount, currency,
//   booking calendar date (YYYY-MM-DD as stated, so `Dt` and `DtTm` of the same day agree), the bank's reference
//   (`TxDtls/Refs/AcctSvcrRef`; else `Ntry/AcctSvcrRef`, plus the transaction's position when a split batch shares
//   it), EndToEndId, payment reference, ordinal]
//   where the ordinal counts earlier entries of the same file with exactly the same basis (0 for the first), so two
//   identical €10 payments on one day stay two entries. Nothing position- or file-dependent enters the key
//   (no NtryRef, statement id or entry index: those differ between a daily and a monthly statement of the same
//   account), so re-importing a file, or importing an overlapping one, gives the same keys. Status is part of the key:
//   a pending entry and its later booked version are different records (the pipeline supersedes the pending one
//   by EndToEndId). Limit: identical entries (same day, amount, references) split across two overlapping files in
//   different numbers are told apart only by their ordinal.
import { createHash } from 'node:crypto';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { ValidationError } from '../../domain/errors';
import { parseBankAmount } from '../../domain/money';
import type { CreditDebit, TransactionStatus } from '../../domain/settlement/bank-transaction';
import type {
  BankTransactionCode,
  StatementAccount,
  StatementCounterparty,
  StatementEntry,
} from '../../domain/statements/statement-entry';

/** The most entries one file may hold (the contract's limit for a statement import). */
export const MAX_CAMT_ENTRIES = 200_000;

export type CamtMessage = 'camt.053' | 'camt.054';

/** The statement or notification the following entries belong to. */
export interface CamtStatement {
  readonly message: CamtMessage;
  /** The message version, 2 to 8 (`camt.053.001.0N`). */
  readonly version: number;
  readonly statementId: string;
  readonly account: StatementAccount;
}

/** What the parser yields, in document order: a statement header, then its entries and skipped entries. */
export type CamtEvent =
  | { readonly type: 'statement'; readonly statement: CamtStatement }
  | { readonly type: 'entry'; readonly entry: StatementEntry }
  | {
      readonly type: 'skipped';
      readonly statementId: string;
      readonly entryIndex: number;
      readonly line: number;
      readonly reason: string;
    };

export type CamtErrorCode = 'statement_malformed' | 'statement_unsupported' | 'statement_too_large';

/** The file cannot be read as a supported camt document; names the first problem and where it is. */
export class CamtParseError extends ValidationError {
  readonly line: number | null;
  readonly column: number | null;
  constructor(code: CamtErrorCode, message: string, position: { line: number; column: number } | null, cause?: unknown) {
    const where = position === null ? '' : `line ${position.line}, column ${position.column}: `;
    super(`camt: ${where}${message}`, {
      code,
      details: [{ path: position === null ? 'statement' : `statement:${position.line}:${position.column}`, message }],
      cause,
    });
    this.line = position?.line ?? null;
    this.column = position?.column ?? null;
  }
}

export type CamtInput = string | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

export interface CamtParseOptions {
  /** Defaults to MAX_CAMT_ENTRIES. */
  readonly maxEntries?: number;
}

const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:camt\.(05[34])\.001\.(\d{2})$/;
const MESSAGE_ELEMENT: Record<CamtMessage, string> = { 'camt.053': 'BkToCstmrStmt', 'camt.054': 'BkToCstmrDbtCdtNtfctn' };
const STATEMENT_ELEMENT: Record<CamtMessage, string> = { 'camt.053': 'Stmt', 'camt.054': 'Ntfctn' };
/** References banks write when they have none. */
const NO_REFERENCE = new Set(['NOTPROVIDED', 'NONREF', 'NOREF']);
const STRING_CHUNK = 64 * 1024;

/** One element of the current `Ntry` or statement header; nothing else of the document is kept. */
interface XNode {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XNode[];
  text: string;
  readonly line: number;
  readonly column: number;
}

/**
 * Reads a camt.053 / camt.054 document and yields its statements and entries as they complete. Throws a
 * CamtParseError at the first problem (malformed XML, an unsupported message or version, a missing required
 * element, more than `maxEntries` entries); nothing is yielded after it, and a caller must store nothing of a file
 * that failed.
 */
export async function* parseCamt(input: CamtInput, options: CamtParseOptions = {}): AsyncGenerator<CamtEvent, void, undefined> {
  const reader = new CamtReader(options.maxEntries ?? MAX_CAMT_ENTRIES);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const chunk of chunks(input)) {
    let text: string;
    try {
      text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    } catch (cause) {
      throw new CamtParseError('statement_malformed', 'the file is not valid UTF-8', null, cause);
    }
    reader.write(text);
    yield* reader.drain();
  }
  reader.write(decoder.decode());
  reader.close();
  yield* reader.drain();
}

/** Reads the whole document and returns its events; for small files and tests (holds every entry). */
export const parseCamtDocument = async (input: CamtInput, options: CamtParseOptions = {}): Promise<CamtEvent[]> => {
  const events: CamtEvent[] = [];
  for await (const event of parseCamt(input, options)) events.push(event);
  return events;
};

/** The input in pieces of at most STRING_CHUNK, so a whole file handed over as one string or buffer still streams. */
async function* chunks(input: CamtInput): AsyncGenerator<string | Uint8Array> {
  if (typeof input === 'string') {
    yield* slices(input);
    return;
  }
  for await (const chunk of input) yield* slices(chunk);
}

function* slices(chunk: string | Uint8Array): Generator<string | Uint8Array> {
  if (chunk.length <= STRING_CHUNK) {
    yield chunk;
    return;
  }
  for (let start = 0; start < chunk.length; start += STRING_CHUNK) {
    yield typeof chunk === 'string' ? chunk.slice(start, start + STRING_CHUNK) : chunk.subarray(start, start + STRING_CHUNK);
  }
}

interface Frame {
  readonly name: string;
  /** The node being built, or null when this element is not kept (group header, foreign namespaces, ...). */
  readonly node: XNode | null;
}

interface OpenStatement {
  readonly node: XNode;
  header: CamtStatement | null;
  entryIndex: number;
}

class CamtReader {
  private readonly parser = new SaxesParser({ xmlns: true, position: true });
  private readonly pending: CamtEvent[] = [];
  private readonly stack: Frame[] = [];
  private readonly ordinals = new Map<string, number>();
  private message: CamtMessage | null = null;
  private version = 0;
  private namespace = '';
  private statement: OpenStatement | null = null;
  private entry: XNode | null = null;
  private entryCount = 0;
  private started = false;

  constructor(private readonly maxEntries: number) {
    this.parser.on('xmldecl', (decl) => {
      if (decl.encoding !== undefined && !/^utf-?8$/i.test(decl.encoding)) {
        throw this.unsupported(`encoding ${JSON.stringify(decl.encoding)} is not supported; camt files must be UTF-8`);
      }
    });
    this.parser.on('doctype', () => {
      throw this.malformed('a DOCTYPE is not allowed in a camt document');
    });
    this.parser.on('opentag', (tag) => this.open(tag));
    this.parser.on('closetag', () => this.closeElement());
    this.parser.on('text', (text) => this.appendText(text));
    this.parser.on('cdata', (text) => this.appendText(text));
  }

  write(text: string): void {
    if (!this.started) {
      if (text.length === 0) return;
      this.started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    this.guard(() => this.parser.write(text));
  }

  close(): void {
    this.guard(() => this.parser.close());
    if (this.message === null) throw this.malformed('the file holds no camt document', null);
  }

  /** The events completed so far; the queue never holds more than one chunk's worth. */
  *drain(): Generator<CamtEvent> {
    while (this.pending.length > 0) {
      const event = this.pending.shift();
      if (event !== undefined) yield event;
    }
  }

  private guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      if (error instanceof CamtParseError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      // saxes prefixes "line:column: " to its messages.
      const position = /^(\d+):(\d+): (.*)$/s.exec(message);
      if (position !== null) {
        throw new CamtParseError(
          'statement_malformed',
          `malformed XML: ${position[3] ?? message}`,
          { line: Number(position[1]), column: Number(position[2]) },
          error,
        );
      }
      throw new CamtParseError('statement_malformed', `malformed XML: ${message}`, this.position(), error);
    }
  }

  private open(tag: SaxesTagNS): void {
    const depth = this.stack.length;
    const parent = this.stack[depth - 1];
    if (depth === 0) {
      this.openDocument(tag);
      this.stack.push({ name: tag.local, node: null });
      return;
    }
    if (tag.uri !== this.namespace) {
      // Extensions in other namespaces (SplmtryData envelopes) are not read.
      this.stack.push({ name: tag.local, node: null });
      return;
    }
    if (depth === 1) {
      if (this.message === null || tag.local !== MESSAGE_ELEMENT[this.message]) {
        throw this.unsupported(`expected <${this.message === null ? 'message' : MESSAGE_ELEMENT[this.message]}> in the Document, found <${tag.local}>`);
      }
      this.stack.push({ name: tag.local, node: null });
      return;
    }
    if (depth === 2) {
      if (this.message !== null && tag.local === STATEMENT_ELEMENT[this.message]) {
        const node = this.newNode(tag);
        this.statement = { node, header: null, entryIndex: 0 };
        this.stack.push({ name: tag.local, node });
      } else {
        this.stack.push({ name: tag.local, node: null });
      }
      return;
    }
    if (depth === 3 && this.statement !== null && tag.local === 'Ntry') {
      this.ensureHeader();
      const node = this.newNode(tag);
      this.entry = node;
      this.stack.push({ name: tag.local, node });
      return;
    }
    if (parent?.node === null || parent === undefined) {
      this.stack.push({ name: tag.local, node: null });
      return;
    }
    const node = this.newNode(tag);
    parent.node.children.push(node);
    this.stack.push({ name: tag.local, node });
  }

  private openDocument(tag: SaxesTagNS): void {
    const match = NAMESPACE.exec(tag.uri);
    if (tag.local !== 'Document' || match === null) {
      throw this.unsupported(
        `not a camt.053 or camt.054 document: root <${tag.local}> in namespace ${JSON.stringify(tag.uri)}; expected <Document> in urn:iso:std:iso:20022:tech:xsd:camt.053.001.0N or camt.054.001.0N`,
      );
    }
    const version = Number(match[2]);
    if (version < 2 || version > 8) {
      throw this.unsupported(`camt.${match[1] ?? ''}.001.${match[2] ?? ''} is not supported; versions .001.02 to .001.08 are`);
    }
    this.message = match[1] === '053' ? 'camt.053' : 'camt.054';
    this.version = version;
    this.namespace = tag.uri;
  }

  private closeElement(): void {
    const frame = this.stack.pop();
    if (frame === undefined) return;
    if (frame.node !== null && frame.node === this.entry) {
      this.entry = null;
      this.emitEntry(frame.node);
      return;
    }
    if (this.statement !== null && frame.node === this.statement.node) {
      this.ensureHeader();
      this.statement = null;
    }
  }

  private appendText(text: string): void {
    const node = this.stack[this.stack.length - 1]?.node;
    if (node !== null && node !== undefined) node.text += text;
  }

  private newNode(tag: SaxesTagNS): XNode {
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) {
      if (attribute.uri === '') attributes[attribute.local] = attribute.value;
    }
    return { name: tag.local, attributes, children: [], text: '', line: this.parser.line, column: this.parser.column };
  }

  /** The statement header is complete once its first entry starts (Acct precedes Ntry in every version). */
  private ensureHeader(): void {
    const statement = this.statement;
    if (statement === null || statement.header !== null || this.message === null) return;
    const node = statement.node;
    const statementId = requireText(node, ['Id'], 'statement Id');
    const accountId = child(node, ['Acct', 'Id']);
    if (accountId === null) throw this.missing(node, 'Acct/Id');
    const iban = text(accountId, ['IBAN']);
    const otherId = text(accountId, ['Othr', 'Id']);
    if (iban === null && otherId === null) throw this.missing(accountId, 'Acct/Id/IBAN or Acct/Id/Othr/Id');
    const scheme = text(accountId, ['Othr', 'SchmeNm', 'Cd']) ?? text(accountId, ['Othr', 'SchmeNm', 'Prtry']);
    const account: StatementAccount = {
      iban: iban === null ? null : iban.replace(/\s+/g, '').toUpperCase(),
      other: iban === null && otherId !== null ? { id: otherId, scheme } : null,
      currency: text(node, ['Acct', 'Ccy']),
    };
    statement.header = { message: this.message, version: this.version, statementId, account };
    this.pending.push({ type: 'statement', statement: statement.header });
  }

  private emitEntry(ntry: XNode): void {
    const statement = this.statement;
    const header = statement?.header;
    if (statement === null || header === null || header === undefined) return;
    const entryIndex = statement.entryIndex;
    statement.entryIndex += 1;
    const status = this.entryStatus(ntry);
    if (status.kind === 'skip') {
      this.pending.push({ type: 'skipped', statementId: header.statementId, entryIndex, line: ntry.line, reason: status.reason });
      return;
    }
    for (const draft of this.splitEntry(ntry, status.status)) {
      this.entryCount += 1;
      if (this.entryCount > this.maxEntries) {
        throw new CamtParseError('statement_too_large', `the file holds more than ${this.maxEntries} entries`, { line: ntry.line, column: ntry.column });
      }
      this.pending.push({ type: 'entry', entry: this.finish(draft, header, entryIndex) });
    }
  }

  private entryStatus(ntry: XNode): { kind: 'keep'; status: TransactionStatus } | { kind: 'skip'; reason: string } {
    const sts = child(ntry, ['Sts']);
    if (sts === null) throw this.missing(ntry, 'Ntry/Sts');
    // v2–v5: <Sts>BOOK</Sts>; v6+: <Sts><Cd>BOOK</Cd></Sts> (or <Prtry>). Either form is read in any version.
    const code = text(sts, ['Cd']) ?? (sts.children.length === 0 ? sts.text.trim() : null);
    switch (code) {
      case 'BOOK':
        return { kind: 'keep', status: 'booked' };
      case 'PDNG':
      case 'FUTR':
        return { kind: 'keep', status: 'pending' };
      case 'INFO':
        return { kind: 'skip', reason: 'entry status INFO: for information only, not a transaction on the account' };
      default: {
        const proprietary = text(sts, ['Prtry']);
        return {
          kind: 'skip',
          reason: `entry status ${JSON.stringify(code ?? proprietary ?? '')} is neither booked (BOOK) nor pending (PDNG, FUTR)`,
        };
      }
    }
  }

  /** One draft per TxDtls (amounts from the TxDtls of a split batch), or one for the whole Ntry. */
  private splitEntry(ntry: XNode, status: TransactionStatus): EntryDraft[] {
    const amount = this.amount(ntry, ['Amt'], 'Ntry/Amt');
    const direction = this.direction(ntry, 'Ntry/CdtDbtInd');
    const reversal = text(ntry, ['RvslInd']) === 'true';
    const booking = this.date(ntry, 'BookgDt') ?? this.date(ntry, 'ValDt');
    if (booking === null) throw this.missing(ntry, 'Ntry/BookgDt (or ValDt)');
    const value = this.date(ntry, 'ValDt');
    const transactions = children(ntry, 'NtryDtls').flatMap((details) => children(details, 'TxDtls'));
    const base = {
      status,
      reversal,
      booking,
      value,
      entryReference: text(ntry, ['NtryRef']),
      entryAccountServicerReference: reference(text(ntry, ['AcctSvcrRef'])),
      entryNarrative: text(ntry, ['AddtlNtryInf']),
      entryCode: bankTransactionCode(child(ntry, ['BkTxCd'])),
    };
    const splittable =
      transactions.length > 1 && transactions.every((tx) => child(tx, ['Amt']) !== null || child(tx, ['AmtDtls', 'TxAmt', 'Amt']) !== null);
    if (transactions.length <= 1) {
      // A single TxDtls describes the entry itself: the entry's amount is what moved on the account.
      return [{ ...base, amount, direction, transaction: transactions[0] ?? null, transactionIndex: null, batch: null }];
    }
    if (!splittable) {
      // A batch whose transactions carry no amounts cannot be split; the entry stands for the batch.
      const count = text(ntry, ['NtryDtls', 'Btch', 'NbOfTxs']);
      return [
        {
          ...base,
          amount,
          direction,
          transaction: null,
          transactionIndex: null,
          batch: { transactionCount: count !== null && /^\d+$/.test(count) ? Number(count) : transactions.length },
        },
      ];
    }
    const parts = transactions.map((tx) => ({
      tx,
      amount: child(tx, ['Amt']) !== null ? this.amount(tx, ['Amt'], 'TxDtls/Amt') : this.amount(tx, ['AmtDtls', 'TxAmt', 'Amt'], 'TxDtls/AmtDtls/TxAmt/Amt'),
      direction: child(tx, ['CdtDbtInd']) !== null ? this.direction(tx, 'TxDtls/CdtDbtInd') : direction,
    }));
    // The entry is what moved on the account. A transaction's own CdtDbtInd is trusted only when the transactions
    // add up to the entry with it (a netted batch); otherwise every part goes the entry's way.
    const signed = (value: { minor: number }, way: CreditDebit): number => (way === 'credit' ? value.minor : -value.minor);
    const netted =
      parts.every((part) => part.amount.currency === amount.currency) &&
      parts.reduce((sum, part) => sum + signed(part.amount, part.direction), 0) === signed(amount, direction);
    return parts.map((part, index) => ({
      ...base,
      amount: part.amount,
      direction: netted ? part.direction : direction,
      transaction: part.tx,
      transactionIndex: index,
      batch: null,
    }));
  }

  private finish(draft: EntryDraft, header: CamtStatement, entryIndex: number): StatementEntry {
    const tx = draft.transaction;
    const remittance = tx === null ? null : child(tx, ['RmtInf']);
    const structured = remittance === null ? [] : children(remittance, 'Strd').map((strd) => text(strd, ['CdtrRefInf', 'Ref']));
    const structuredReference = joined(structured);
    const unstructured = remittance === null ? null : joined(children(remittance, 'Ustrd').map((node) => clean(node.text)));
    const endToEndId = tx === null ? null : reference(text(tx, ['Refs', 'EndToEndId']));
    const accountServicerReference = tx === null ? null : reference(text(tx, ['Refs', 'AcctSvcrRef']));
    const paymentReference = structuredReference ?? unstructured;
    const txCode = tx === null ? null : bankTransactionCode(child(tx, ['BkTxCd']));
    const bankReference =
      accountServicerReference ??
      (draft.entryAccountServicerReference === null
        ? null
        : `${draft.entryAccountServicerReference}${draft.transactionIndex === null ? '' : `#${draft.transactionIndex}`}`);
    const accountKey = header.account.iban ?? `othr:${header.account.other?.scheme ?? ''}:${header.account.other?.id ?? ''}`;
    const basis = JSON.stringify([
      accountKey,
      draft.status,
      draft.reversal,
      draft.direction,
      draft.amount.minor,
      draft.amount.currency,
      draft.booking.date,
      bankReference,
      endToEndId,
      paymentReference,
    ]);
    const basisDigest = createHash('sha256').update(basis).digest('base64').slice(0, 16);
    const ordinal = this.ordinals.get(basisDigest) ?? 0;
    this.ordinals.set(basisDigest, ordinal + 1);
    const entryKey = createHash('sha256').update(`${basis}|${ordinal}`).digest('hex');
    return {
      entryKey,
      account: header.account,
      statementId: header.statementId,
      entryIndex,
      transactionIndex: draft.transactionIndex,
      status: draft.status,
      creditDebitIndicator: draft.direction,
      reversal: draft.reversal,
      amount: draft.amount.minor,
      currency: draft.amount.currency,
      bookingDate: draft.booking.date,
      bookingDateTime: draft.booking.dateTime,
      valueDate: draft.value?.date ?? null,
      valueDateTime: draft.value?.dateTime ?? null,
      reference: paymentReference,
      remittanceInformation: unstructured,
      narrative: (tx === null ? null : text(tx, ['AddtlTxInf'])) ?? draft.entryNarrative,
      endToEndId,
      accountServicerReference,
      entryAccountServicerReference: draft.entryAccountServicerReference,
      entryReference: draft.entryReference,
      bankTransactionCode: txCode ?? draft.entryCode,
      counterparty: tx === null ? null : counterparty(tx, draft.reversal ? flip(draft.direction) : draft.direction),
      batch: draft.batch,
    };
  }

  private amount(node: XNode, path: readonly string[], label: string): { minor: number; currency: string } {
    const amount = child(node, path);
    if (amount === null) throw this.missing(node, label);
    const currency = amount.attributes['Ccy'];
    if (currency === undefined || currency === '') throw this.malformed(`${label} has no Ccy attribute`, amount);
    try {
      return { minor: parseBankAmount(amount.text.trim(), currency), currency };
    } catch (error) {
      const detail = error instanceof ValidationError ? (error.details[0]?.message ?? error.message) : String(error);
      throw new CamtParseError('statement_malformed', `${label}: ${detail}`, { line: amount.line, column: amount.column }, error);
    }
  }

  private direction(node: XNode, label: string): CreditDebit {
    const indicator = text(node, ['CdtDbtInd']);
    if (indicator === 'CRDT') return 'credit';
    if (indicator === 'DBIT') return 'debit';
    if (indicator === null) throw this.missing(node, label);
    throw this.malformed(`${label} is ${JSON.stringify(indicator)}, expected CRDT or DBIT`, node);
  }

  private date(ntry: XNode, element: 'BookgDt' | 'ValDt'): DateValue | null {
    const node = child(ntry, [element]);
    if (node === null) return null;
    const dateTime = text(node, ['DtTm']);
    if (dateTime !== null) {
      const match = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(dateTime);
      // A DtTm without an offset is taken as UTC: ISO 20022 leaves it to bilateral agreement.
      const instant = match === null ? Number.NaN : Date.parse(match[2] === undefined ? `${dateTime}Z` : dateTime);
      if (match === null || Number.isNaN(instant) || !isCalendarDate(match[1] ?? '')) {
        throw this.malformed(`Ntry/${element}/DtTm ${JSON.stringify(dateTime)} is not an ISO date-time`, node);
      }
      return { date: match[1] ?? '', dateTime: new Date(instant).toISOString() };
    }
    const date = text(node, ['Dt']);
    if (date === null) throw this.missing(node, `Ntry/${element}/Dt or DtTm`);
    if (!isCalendarDate(date)) throw this.malformed(`Ntry/${element}/Dt ${JSON.stringify(date)} is not a date (YYYY-MM-DD)`, node);
    return { date, dateTime: `${date}T00:00:00.000Z` };
  }

  private position(): { line: number; column: number } {
    return { line: this.parser.line, column: this.parser.column };
  }

  private missing(node: XNode, what: string): CamtParseError {
    return new CamtParseError('statement_malformed', `required element ${what} is missing in <${node.name}>`, { line: node.line, column: node.column });
  }

  private malformed(message: string, node?: XNode | null): CamtParseError {
    const position = node === null ? null : node === undefined ? this.position() : { line: node.line, column: node.column };
    return new CamtParseError('statement_malformed', message, position);
  }

  private unsupported(message: string): CamtParseError {
    return new CamtParseError('statement_unsupported', message, this.position());
  }
}

interface DateValue {
  readonly date: string;
  readonly dateTime: string;
}

interface EntryDraft {
  readonly status: TransactionStatus;
  readonly reversal: boolean;
  readonly booking: DateValue;
  readonly value: DateValue | null;
  readonly amount: { readonly minor: number; readonly currency: string };
  readonly direction: CreditDebit;
  readonly transaction: XNode | null;
  readonly transactionIndex: number | null;
  readonly entryReference: string | null;
  readonly entryAccountServicerReference: string | null;
  readonly entryNarrative: string | null;
  readonly entryCode: BankTransactionCode | null;
  readonly batch: { readonly transactionCount: number | null } | null;
}

const child = (node: XNode, path: readonly string[]): XNode | null => {
  let current: XNode | undefined = node;
  for (const name of path) {
    current = current.children.find((candidate) => candidate.name === name);
    if (current === undefined) return null;
  }
  return current;
};

const children = (node: XNode, name: string): XNode[] => node.children.filter((candidate) => candidate.name === name);

/** Trimmed text of the element at `path`, null when absent or empty. */
const text = (node: XNode, path: readonly string[]): string | null => {
  const found = child(node, path);
  return found === null ? null : clean(found.text);
};

const clean = (value: string): string | null => {
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? null : trimmed;
};

const requireText = (node: XNode, path: readonly string[], label: string): string => {
  const value = text(node, path);
  if (value === null) {
    throw new CamtParseError('statement_malformed', `required element ${label} is missing in <${node.name}>`, { line: node.line, column: node.column });
  }
  return value;
};

const joined = (values: readonly (string | null)[]): string | null => {
  const present = values.filter((value): value is string => value !== null);
  return present.length === 0 ? null : present.join(' ');
};

const reference = (value: string | null): string | null => (value === null || NO_REFERENCE.has(value.toUpperCase()) ? null : value);

const flip = (direction: CreditDebit): CreditDebit => (direction === 'credit' ? 'debit' : 'credit');

const isCalendarDate = (value: string): boolean => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
};

const bankTransactionCode = (node: XNode | null): BankTransactionCode | null => {
  if (node === null) return null;
  const domain = text(node, ['Domn', 'Cd']);
  const family = text(node, ['Domn', 'Fmly', 'Cd']);
  const subFamily = text(node, ['Domn', 'Fmly', 'SubFmlyCd']);
  const proprietary = text(node, ['Prtry', 'Cd']);
  if (domain === null && proprietary === null) return null;
  return {
    domain: domain !== null && family !== null && subFamily !== null ? { code: domain, family, subFamily } : null,
    proprietary: proprietary === null ? null : { code: proprietary, issuer: text(node, ['Prtry', 'Issr']) },
  };
};

/**
 * The payer of a credit (Dbtr, DbtrAcct), the payee of a debit (Cdtr, CdtrAcct); for a reversal the caller passes
 * the original direction, since the related parties are those of the transaction being undone. v2–v7 name the party
 * directly (`Dbtr/Nm`), v8 through `Dbtr/Pty/Nm`.
 */
const counterparty = (tx: XNode, originalDirection: CreditDebit): StatementCounterparty | null => {
  const parties = child(tx, ['RltdPties']);
  if (parties === null) return null;
  const [party, account] = originalDirection === 'credit' ? ['Dbtr', 'DbtrAcct'] : ['Cdtr', 'CdtrAcct'];
  const name = text(parties, [party, 'Nm']) ?? text(parties, [party, 'Pty', 'Nm']);
  const iban = text(parties, [account, 'Id', 'IBAN']);
  const accountId = iban === null ? text(parties, [account, 'Id', 'Othr', 'Id']) : null;
  if (name === null && iban === null && accountId === null) return null;
  return { name, iban: iban === null ? null : iban.replace(/\s+/g, '').toUpperCase(), accountId };
};
