import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiKeyIdOf, formatApiKey, hashApiKey, secretsEqual, tenantIdOfApiKey } from '../../../../shared/domain/tenants/api-key';
import { cryptoSecrets, ulidIds } from '../../../../shared/adapters/system';

describe('API keys', () => {
  it('carry the tenant id they were minted for', () => {
    const tenantId = ulidIds.next('ten');
    expect(tenantIdOfApiKey(formatApiKey(tenantId, cryptoSecrets.randomToken(32)))).toBe(tenantId);
  });

  it.each([
    ['empty', ''],
    ['another prefix', `pk_${'ten_01JD0000000000000000000000'}_${'A'.repeat(43)}`],
    ['short secret', `sk_ten_01JD0000000000000000000000_${'A'.repeat(42)}`],
    ['ambiguous letter in tenant id', `sk_ten_01JD000000000000000000000I_${'A'.repeat(43)}`],
    ['trailing text', `sk_ten_01JD0000000000000000000000_${'A'.repeat(43)}x`],
  ])('reject a key that is not ours (%s)', (_, key) => {
    expect(tenantIdOfApiKey(key)).toBeUndefined();
  });

  it('are named, where an action is attributed, by an id derived from their stored hash, never by any of the key', () => {
    const tenantId = ulidIds.next('ten');
    const secret = cryptoSecrets.randomToken(32);
    const apiKey = formatApiKey(tenantId, secret);
    const id = apiKeyIdOf(apiKey);
    expect(id).toBe(`key_${hashApiKey(apiKey).slice(0, 16)}`);
    expect(apiKeyIdOf(apiKey)).toBe(id);
    expect(apiKeyIdOf(formatApiKey(tenantId, cryptoSecrets.randomToken(32)))).not.toBe(id);
  });

  it('compares secrets exactly', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(secretsEqual(a, b)).toBe(a === b);
      }),
    );
  });
});
