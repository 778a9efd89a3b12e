import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { generateSchemaSource, SCHEMA_FILE } from './generate-schema';

// npm run client:generate: regenerates clients/typescript/src/schema.ts from docs/openapi.yaml.
await writeFile(SCHEMA_FILE, await generateSchemaSource());
process.stdout.write(`wrote ${fileURLToPath(SCHEMA_FILE)}\n`);
