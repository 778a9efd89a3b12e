import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateSchemaSource, SCHEMA_FILE } from '../../../../clients/typescript/scripts/generate-schema';

describe('clients/typescript/src/schema.ts', () => {
  // The CI check: the checked-in types are what the generator makes of the current docs/openapi.yaml.
  it('is what openapi-typescript generates from docs/openapi.yaml now (run npm run client:generate if not)', async () => {
    // Act
    const [generated, checkedIn] = await Promise.all([generateSchemaSource(), readFile(SCHEMA_FILE, 'utf8')]);
    // Assess
    expect(checkedIn === generated, 'clients/typescript/src/schema.ts is stale: run npm run client:generate').toBe(true);
  }, 30_000);

  it('types the operations of the document, so a change to it shows in the generated text', async () => {
    // Act
    const generated = await generateSchemaSource();
    // Assess
    expect(generated).toContain('"/v1/payments": {');
    expect(generated).toContain('createPayment: {');
    expect(generated).toContain('"Idempotency-Key": components["parameters"]["IdempotencyKey"];');
  }, 30_000);
});
