import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RUNTIME_NODE_FLAGS } from '../../../../infra/local/spawn-runtime';

describe('the runtime process the e2e tests and benches start', () => {
  it('runs with the Node.js flags of npm start', () => {
    // Prepare
    const packageJson: unknown = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8'));
    const scripts = typeof packageJson === 'object' && packageJson !== null ? Reflect.get(packageJson, 'scripts') : undefined;
    const start = typeof scripts === 'object' && scripts !== null ? String(Reflect.get(scripts, 'start')) : '';
    // Assess
    expect(start).toBe(`node ${RUNTIME_NODE_FLAGS.join(' ')} --import tsx infra/local/main.ts`);
  });
});
