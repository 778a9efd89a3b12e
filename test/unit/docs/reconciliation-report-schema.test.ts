import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { summariseReconciliation } from '../../../shared/domain/reconciliation/reconciliation-report';
import { PERIOD, PERIOD_ACCOUNTS, PERIOD_EXCEPTIONS, PERIOD_PAYMENTS, PERIOD_TRANSACTIONS, REPORT_NOW } from '../../support/reconciliation-period';

/** The report the API returns must be what docs/openapi.yaml says it is, so the document cannot drift from the code. */
const SCHEMAS_ID = 'urn:settled:openapi';
const document: unknown = parse(readFileSync(fileURLToPath(new URL('../../../docs/openapi.yaml', import.meta.url)), 'utf8'));
const schemas: Record<string, unknown> = JSON.parse(JSON.stringify(document).replaceAll('"#/components/schemas/', `"${SCHEMAS_ID}#/$defs/`)).components.schemas;

/** Every object schema of the report's components refuses properties it does not list (here only, not in the API's rules). */
const closed = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(closed);
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, closed(value)]));
  return 'properties' in entries ? { ...entries, unevaluatedProperties: false } : entries;
};
const reportSchemas = Object.fromEntries(
  Object.entries(schemas).map(([name, schema]) => [name, name.startsWith('Report') || name.startsWith('ReconciliationReport') ? closed(schema) : schema]),
);

describe('ReconciliationReport in docs/openapi.yaml', () => {
  it('describes the report the domain builds, with no property it does not document', () => {
    const ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allErrors: true });
    addFormats(ajv);
    for (const keyword of ['discriminator', 'example', 'xml', 'externalDocs']) ajv.addKeyword(keyword);
    ajv.addSchema({ $id: SCHEMAS_ID, $defs: reportSchemas });
    const validate = ajv.compile({ $ref: `${SCHEMAS_ID}#/$defs/ReconciliationReport` });
    const report = summariseReconciliation({ ...PERIOD, accountId: null, now: new Date(REPORT_NOW), accounts: PERIOD_ACCOUNTS, transactions: PERIOD_TRANSACTIONS, payments: PERIOD_PAYMENTS, exceptions: PERIOD_EXCEPTIONS });

    const valid = validate(JSON.parse(JSON.stringify(report)));

    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });
});
