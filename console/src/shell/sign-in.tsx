import { useState } from 'preact/hooks';
import { createSettledClient, ok } from '../../../clients/typescript/src/client';
import { SettledApiError } from '../../../clients/typescript/src/errors';
import { useTitle } from './ui';

export interface SignInProps {
  /** Why the operator is here again (signed out, a 401 elsewhere), shown above the form. */
  readonly notice: string | undefined;
  readonly onSignedIn: (apiKey: string) => void;
}

/** The API key form: the key is checked with `GET /v1/cash-position` before the console opens. */
export function SignIn({ notice, onSignedIn }: SignInProps) {
  useTitle('Sign in');
  const [apiKey, setApiKey] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [checking, setChecking] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const key = apiKey.trim();
    if (key === '') {
      setError('Enter your API key.');
      return;
    }
    setChecking(true);
    setError(undefined);
    try {
      await ok(createSettledClient({ baseUrl: window.location.origin, apiKey: key }).GET('/v1/cash-position'));
      onSignedIn(key);
    } catch (failure) {
      if (failure instanceof SettledApiError && failure.status === 401) setError('That API key was not accepted. Check it and try again.');
      else setError(failure instanceof Error ? `Could not check the key: ${failure.message}` : 'Could not check the key.');
    } finally {
      setChecking(false);
    }
  };

  return (
    <main id="main" class="sign-in">
      <h1>Settled console</h1>
      <p>Sign in with a tenant API key. It is kept in this tab only and forgotten when the tab closes.</p>
      {notice === undefined ? null : (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="apiKey"
          type="password"
          autoComplete="off"
          spellcheck={false}
          placeholder="sk_…"
          value={apiKey}
          aria-invalid={error === undefined ? undefined : 'true'}
          aria-describedby={error === undefined ? undefined : 'api-key-error'}
          onInput={(event) => setApiKey(event.currentTarget.value)}
        />
        {error === undefined ? null : (
          <p id="api-key-error" class="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={checking}>
          {checking ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
