import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';

const Manifest = v.object({ dependencies: v.optional(v.record(v.string(), v.string()), {}), devDependencies: v.optional(v.record(v.string(), v.string()), {}) });
const manifest = (path: string) => v.parse(Manifest, JSON.parse(readFileSync(path, 'utf8')));

describe('clients/typescript/package.json', () => {
  // The client's manifest names what it needs; the versions are the ones the repository tests it with.
  it('pins each runtime dependency exactly, at the version the repository installs', () => {
    // Prepare
    const client = manifest('clients/typescript/package.json');
    const root = manifest('package.json');
    // Assess
    expect(Object.keys(client.dependencies).sort()).toEqual(['openapi-fetch', 'standardwebhooks']);
    for (const [name, version] of Object.entries(client.dependencies)) {
      expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
      expect(root.dependencies[name], name).toBe(version);
    }
    expect(root.devDependencies['openapi-typescript']).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
