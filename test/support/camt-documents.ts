/** Small camt.053 / camt.054 documents for tests, shaped like the ISO 20022 schemas of each version. */

export type CamtVersion = 2 | 3 | 4 | 5 | 6 | 7 | 8;

export interface TxSpec {
  readonly amount?: string;
  readonly currency?: string;
  readonly direction?: 'CRDT' | 'DBIT';
  readonly endToEndId?: string;
  readonly acctSvcrRef?: string;
  readonly creditorReference?: string;
  readonly unstructured?: readonly string[];
  readonly additionalInfo?: string;
  readonly debtorName?: string;
  readonly debtorIban?: string;
  readonly creditorName?: string;
  readonly creditorAccountOther?: string;
}

export interface EntrySpec {
  readonly amount?: string;
  readonly currency?: string;
  readonly direction?: 'CRDT' | 'DBIT';
  readonly status?: string;
  readonly reversal?: boolean;
  readonly bookingDate?: string;
  readonly bookingDateTime?: string;
  readonly valueDate?: string;
  readonly ntryRef?: string;
  readonly acctSvcrRef?: string;
  readonly additionalInfo?: string;
  readonly domainCode?: readonly [string, string, string];
  readonly proprietaryCode?: string;
  readonly batchCount?: number;
  readonly transactions?: readonly TxSpec[];
}

export interface StatementSpec {
  readonly id?: string;
  readonly iban?: string;
  readonly otherId?: { readonly id: string; readonly scheme?: string };
  readonly currency?: string;
  readonly entries: readonly string[];
}

/** The status element in the form the version's schema uses: text up to v5, a `Cd` child from v6. */
const status = (code: string, version: CamtVersion): string => (version >= 6 ? `<Sts><Cd>${code}</Cd></Sts>` : `<Sts>${code}</Sts>`);

/** A party in the form the version's schema uses: the name directly up to v7, under `Pty` from v8. */
const party = (tag: string, name: string, version: CamtVersion): string =>
  version >= 8 ? `<${tag}><Pty><Nm>${name}</Nm></Pty></${tag}>` : `<${tag}><Nm>${name}</Nm></${tag}>`;

export const txDtls = (tx: TxSpec, version: CamtVersion): string => {
  const refs = [
    tx.acctSvcrRef === undefined ? '' : `<AcctSvcrRef>${tx.acctSvcrRef}</AcctSvcrRef>`,
    tx.endToEndId === undefined ? '' : `<EndToEndId>${tx.endToEndId}</EndToEndId>`,
  ].join('');
  // v2 has no TxDtls/Amt: the amount goes in AmtDtls/TxAmt.
  const amount =
    tx.amount === undefined
      ? ''
      : version === 2
        ? `<AmtDtls><TxAmt><Amt Ccy="${tx.currency ?? 'EUR'}">${tx.amount}</Amt></TxAmt></AmtDtls>`
        : `<Amt Ccy="${tx.currency ?? 'EUR'}">${tx.amount}</Amt>${tx.direction === undefined ? '' : `<CdtDbtInd>${tx.direction}</CdtDbtInd>`}`;
  const parties = [
    tx.debtorName === undefined ? '' : party('Dbtr', tx.debtorName, version),
    tx.debtorIban === undefined ? '' : `<DbtrAcct><Id><IBAN>${tx.debtorIban}</IBAN></Id></DbtrAcct>`,
    tx.creditorName === undefined ? '' : party('Cdtr', tx.creditorName, version),
    tx.creditorAccountOther === undefined ? '' : `<CdtrAcct><Id><Othr><Id>${tx.creditorAccountOther}</Id></Othr></Id></CdtrAcct>`,
  ].join('');
  const remittance =
    tx.unstructured === undefined && tx.creditorReference === undefined
      ? ''
      : `<RmtInf>${(tx.unstructured ?? []).map((line) => `<Ustrd>${line}</Ustrd>`).join('')}${
          tx.creditorReference === undefined
            ? ''
            : `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${tx.creditorReference}</Ref></CdtrRefInf></Strd>`
        }</RmtInf>`;
  return `<TxDtls>${refs === '' ? '' : `<Refs>${refs}</Refs>`}${amount}${parties === '' ? '' : `<RltdPties>${parties}</RltdPties>`}${remittance}${
    tx.additionalInfo === undefined ? '' : `<AddtlTxInf>${tx.additionalInfo}</AddtlTxInf>`
  }</TxDtls>`;
};

export const ntry = (entry: EntrySpec, version: CamtVersion): string => {
  const booking =
    entry.bookingDateTime !== undefined
      ? `<BookgDt><DtTm>${entry.bookingDateTime}</DtTm></BookgDt>`
      : `<BookgDt><Dt>${entry.bookingDate ?? '2026-03-02'}</Dt></BookgDt>`;
  const [domain, family, subFamily] = entry.domainCode ?? ['PMNT', 'RCDT', 'DMCT'];
  const code = `<BkTxCd><Domn><Cd>${domain}</Cd><Fmly><Cd>${family}</Cd><SubFmlyCd>${subFamily}</SubFmlyCd></Fmly></Domn>${
    entry.proprietaryCode === undefined ? '' : `<Prtry><Cd>${entry.proprietaryCode}</Cd></Prtry>`
  }</BkTxCd>`;
  const details =
    entry.transactions === undefined
      ? ''
      : `<NtryDtls>${entry.batchCount === undefined ? '' : `<Btch><NbOfTxs>${entry.batchCount}</NbOfTxs></Btch>`}${entry.transactions
          .map((tx) => txDtls(tx, version))
          .join('')}</NtryDtls>`;
  return [
    '<Ntry>',
    entry.ntryRef === undefined ? '' : `<NtryRef>${entry.ntryRef}</NtryRef>`,
    `<Amt Ccy="${entry.currency ?? 'EUR'}">${entry.amount ?? '10.00'}</Amt>`,
    `<CdtDbtInd>${entry.direction ?? 'CRDT'}</CdtDbtInd>`,
    entry.reversal === undefined ? '' : `<RvslInd>${String(entry.reversal)}</RvslInd>`,
    status(entry.status ?? 'BOOK', version),
    booking,
    entry.valueDate === undefined ? '' : `<ValDt><Dt>${entry.valueDate}</Dt></ValDt>`,
    entry.acctSvcrRef === undefined ? '' : `<AcctSvcrRef>${entry.acctSvcrRef}</AcctSvcrRef>`,
    code,
    details,
    entry.additionalInfo === undefined ? '' : `<AddtlNtryInf>${entry.additionalInfo}</AddtlNtryInf>`,
    '</Ntry>',
  ].join('');
};

export const statement = (spec: StatementSpec, message: 'camt.053' | 'camt.054'): string => {
  const tag = message === 'camt.053' ? 'Stmt' : 'Ntfctn';
  const id =
    spec.otherId === undefined
      ? `<IBAN>${spec.iban ?? 'DE89370400440532013000'}</IBAN>`
      : `<Othr><Id>${spec.otherId.id}</Id>${spec.otherId.scheme === undefined ? '' : `<SchmeNm><Cd>${spec.otherId.scheme}</Cd></SchmeNm>`}</Othr>`;
  return `<${tag}><Id>${spec.id ?? 'STMT-1'}</Id><CreDtTm>2026-03-02T18:00:00+01:00</CreDtTm><Acct><Id>${id}</Id>${
    spec.currency === undefined ? '' : `<Ccy>${spec.currency}</Ccy>`
  }</Acct>${spec.entries.join('')}</${tag}>`;
};

/** A whole document; `statements` are already rendered with `statement()` (or raw XML for broken cases). */
export const camtDocument = (message: 'camt.053' | 'camt.054', version: CamtVersion, statements: readonly string[]): string => {
  const root = message === 'camt.053' ? 'BkToCstmrStmt' : 'BkToCstmrDbtCdtNtfctn';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:${message}.001.0${version}">`,
    `<${root}><GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-03-02T18:00:00+01:00</CreDtTm></GrpHdr>`,
    ...statements,
    `</${root}></Document>`,
  ].join('\n');
};

/** A document with one statement holding `entries` (rendered for `version`). */
export const singleStatement = (
  message: 'camt.053' | 'camt.054',
  version: CamtVersion,
  entries: readonly EntrySpec[],
  account: Omit<StatementSpec, 'entries'> = {},
): string => camtDocument(message, version, [statement({ ...account, entries: entries.map((entry) => ntry(entry, version)) }, message)]);
