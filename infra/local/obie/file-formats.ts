import type { ObieVersion } from './spec-validator';

/**
 * The payment file and report file formats of the mock banks' file payments, as JSON Schemas over the payment
 * initiation spec's own components. The specs leave a file's content to its FileType: their `File` schema is an
 * empty placeholder (`{"type":"object","additionalProperties":false,"properties":{}}`) that no real file matches,
 * and the report file's format is the bank's to choose. The validator fills both in, in memory (the spec files stay
 * byte-identical), so the upload, `GET .../file` and `GET .../report-file` are checked like every other body:
 *
 * - payment file (FileType `UK.OBIE.PaymentInitiation.3.1` / `.4.0`): `{ "Data": { "DomesticPayments": [ Initiation ] } }`,
 *   each item exactly a domestic payment's Initiation of that version (`OBWriteDomestic2.Data.Initiation`);
 * - report file: `{ "Data": { "DomesticPayments": [ { InstructionIdentification, EndToEndIdentification, Status,
 *   StatusReason? } ] } }`, Status the version's payment status (v4.0 ISO codes, v3.1.11 names).
 */
export const FILE_TYPES: Readonly<Record<ObieVersion, string>> = { 'v3.1.11': 'UK.OBIE.PaymentInitiation.3.1', 'v4.0': 'UK.OBIE.PaymentInitiation.4.0' };

export const REPORT_ITEM_STATUSES: Readonly<Record<ObieVersion, { readonly accepted: string; readonly completed: string; readonly rejected: string }>> = {
  'v3.1.11': { accepted: 'AcceptedSettlementInProcess', completed: 'AcceptedSettlementCompleted', rejected: 'Rejected' },
  'v4.0': { accepted: 'ACSP', completed: 'ACSC', rejected: 'RJCT' },
};

const identification = { type: 'string', minLength: 1, maxLength: 35 };

export const paymentFileSchema = (): Record<string, unknown> => ({
  type: 'object',
  additionalProperties: false,
  required: ['Data'],
  properties: {
    Data: {
      type: 'object',
      additionalProperties: false,
      required: ['DomesticPayments'],
      properties: {
        DomesticPayments: { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/OBWriteDomestic2/properties/Data/properties/Initiation' } },
      },
    },
  },
});

export const reportFileSchema = (version: ObieVersion): Record<string, unknown> => ({
  type: 'object',
  additionalProperties: false,
  required: ['Data'],
  properties: {
    Data: {
      type: 'object',
      additionalProperties: false,
      required: ['DomesticPayments'],
      properties: {
        DomesticPayments: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['InstructionIdentification', 'EndToEndIdentification', 'Status'],
            properties: {
              InstructionIdentification: identification,
              EndToEndIdentification: identification,
              Status: { type: 'string', enum: Object.values(REPORT_ITEM_STATUSES[version]) },
              StatusReason: {
                type: 'array',
                minItems: 1,
                items: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['StatusReasonCode'],
                  properties: { StatusReasonCode: { type: 'string', minLength: 1, maxLength: 4 }, StatusReasonDescription: { type: 'string', minLength: 1, maxLength: 500 } },
                },
              },
            },
          },
        },
      },
    },
  },
});

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Fills the payment initiation spec's `File` placeholder and points the report file's response at the report format. */
export const withFileFormats = (version: ObieVersion, definition: unknown): void => {
  if (!isRecord(definition) || !isRecord(definition.components)) return;
  const { schemas, responses } = definition.components;
  if (!isRecord(schemas) || !isRecord(responses) || !isRecord(schemas.File)) return;
  schemas.File = paymentFileSchema();
  schemas.SettledMockReportFile = reportFileSchema(version);
  const report = responses['200FilePaymentsFilePaymentIdReportFileRead'];
  if (!isRecord(report) || !isRecord(report.content)) return;
  for (const media of Object.values(report.content)) if (isRecord(media)) media.schema = { $ref: '#/components/schemas/SettledMockReportFile' };
};
