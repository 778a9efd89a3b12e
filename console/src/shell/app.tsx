import { useEffect, useMemo, useState } from 'preact/hooks';
import { createSettledClient, type SettledClient } from '../../../clients/typescript/src/client';
import { matchRoute } from './routes';
import { clearApiKey, storeApiKey, storedApiKey } from './session';
import { SignIn } from './sign-in';
import { useTitle } from './ui';

/** The sections of the nav, in order; a section is active for its own hash and everything under it. */
export const SECTIONS: readonly { readonly hash: string; readonly label: string }[] = [
  { hash: '#/cash', label: 'Cash' },
  { hash: '#/payments', label: 'Payments' },
  { hash: '#/exceptions', label: 'Exceptions' },
  { hash: '#/payouts', label: 'Payouts' },
  { hash: '#/links', label: 'Links' },
  { hash: '#/mandates', label: 'Mandates' },
  { hash: '#/report', label: 'Report' },
  { hash: '#/events', label: 'Events' },
];

const DEFAULT_HASH = '#/cash';

const currentHash = (): string => (window.location.hash === '' || window.location.hash === '#' || window.location.hash === '#/' ? DEFAULT_HASH : window.location.hash);

const isActive = (section: string, hash: string): boolean => {
  const path = hash.split('?')[0] ?? '';
  return path === section || path.startsWith(`${section}/`);
};

function NotFound() {
  useTitle('Not found');
  return (
    <>
      <h1>Not found</h1>
      <p>This console has no such page. Pick a section above.</p>
    </>
  );
}

/** The console: sign-in until a key is accepted, then the nav and the page of the current hash. */
export function App() {
  const [apiKey, setApiKey] = useState<string | undefined>(storedApiKey);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [hash, setHash] = useState(currentHash);

  useEffect(() => {
    const onHashChange = () => {
      setHash(currentHash());
      // A new page: move focus to it, so a screen reader announces it and Tab starts from its content.
      window.requestAnimationFrame(() => document.getElementById('main')?.focus({ preventScroll: true }));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const signOut = (message: string | undefined) => {
    clearApiKey();
    setApiKey(undefined);
    setNotice(message);
  };

  const client: SettledClient | undefined = useMemo(
    () =>
      apiKey === undefined
        ? undefined
        : createSettledClient({
            baseUrl: window.location.origin,
            apiKey,
            // A 401 anywhere (the key was revoked, the tenant removed): back to the sign-in form, saying why.
            fetch: async (request) => {
              const response = await fetch(request);
              if (response.status === 401) signOut('Your API key was not accepted any more. Sign in again.');
              return response;
            },
          }),
    [apiKey],
  );

  const navigate = (target: string) => {
    if (window.location.hash === target) setHash(currentHash());
    else window.location.hash = target;
  };

  if (client === undefined) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(key) => {
          storeApiKey(key);
          setNotice(undefined);
          setApiKey(key);
          if (window.location.hash === '' || window.location.hash === '#') window.location.hash = DEFAULT_HASH;
        }}
      />
    );
  }

  const match = matchRoute(hash);
  const Page = match?.route.page;
  return (
    <>
      <a class="skip-link" href="#main" onClick={(event) => { event.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header class="top">
        <p class="brand">Settled console</p>
        <nav aria-label="Sections">
          <ul>
            {SECTIONS.map((section) => (
              <li key={section.hash}>
                <a href={section.hash} aria-current={isActive(section.hash, hash) ? 'page' : undefined}>
                  {section.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" class="secondary sign-out" onClick={() => signOut('You are signed out.')}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {Page === undefined || match === undefined ? <NotFound /> : <Page key={hash} client={client} params={match.params} query={match.query} navigate={navigate} />}
      </main>
    </>
  );
}
