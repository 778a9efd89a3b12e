import { afterEach, describe, expect, it } from 'vitest';
import { getPositiveIntegerFromEnv } from '../../../shared/runtime/config';

const NAME = 'SETTLED_TEST_POSITIVE_INTEGER';

describe('getPositiveIntegerFromEnv', () => {
  afterEach(() => {
    delete process.env[NAME];
  });

  it('uses the fallback when unset and the value when it is a whole number of at least 1', () => {
    expect(getPositiveIntegerFromEnv(NAME, 100)).toBe(100);
    process.env[NAME] = '5';
    expect(getPositiveIntegerFromEnv(NAME, 100)).toBe(5);
  });

  it.each(['0', '-3', '2.5', 'ten', '1e3'])('fails fast on %s', (value) => {
    process.env[NAME] = value;
    expect(() => getPositiveIntegerFromEnv(NAME, 100)).toThrow(NAME);
  });
});
