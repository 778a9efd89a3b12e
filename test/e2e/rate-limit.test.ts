import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRuntime, startRuntime } from '../../infra/local/spawn-runtime';
import { onboardTenant, type Tenant } from './scenario';

/** Issue 5: a tenant over its rate limit gets 429 with Retry-After, and no other tenant notices. */
describe('per-tenant rate limit', () => {
  let runtime: RunningRuntime;
  let busy: Tenant;
  let quiet: Tenant;

  beforeAll(async () => {
    runtime = await startRuntime({ env: { SETTLED_TENANT_RATE_LIMIT_PER_SECOND: '5' } });
    [busy, quiet] = await Promise.all([onboardTenant(runtime, 'Busy'), onboardTenant(runtime, 'Quiet')]);
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('refuses a burst over the limit with 429 and Retry-After, while another tenant is still served', async () => {
    // Act
    const [burst, other] = await Promise.all([
      Promise.all(Array.from({ length: 20 }, () => busy.get('/v1/payments'))),
      quiet.get('/v1/payments'),
    ]);
    // Assess
    const refused = burst.filter((response) => response.status === 429);
    const served = burst.filter((response) => response.status === 200);
    console.info(`rate-limit e2e: ${served.length} × 200, ${refused.length} × 429 of ${burst.length}`);
    expect(burst.filter((response) => response.status >= 500)).toEqual([]);
    expect(served.length + refused.length).toBe(burst.length);
    // The burst may straddle a window boundary (or two on a slow machine): each window serves its 5, no more.
    expect(served.length).toBeGreaterThanOrEqual(5);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const response of refused) {
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(response.body).toMatchObject({ error: { code: 'rate_limited' } });
    }
    expect(other.status).toBe(200);
  });
});
