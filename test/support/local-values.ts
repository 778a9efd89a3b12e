import type { ResourceAccess } from '../../infra/topology';

/** A local value per access, each distinct so a test can tell which grant a variable came from. */
export const LOCAL_VALUES: Record<ResourceAccess, string> = {
  'table:read': 'settled',
  'table:write': 'settled',
  'settlements-queue:send': 'http://127.0.0.1:1/000000000000/settlements',
  'sandbox-queue:send': 'http://127.0.0.1:1/000000000000/sandbox-bank',
  'callback-queue:send': 'http://127.0.0.1:1/000000000000/callback-deliveries',
  'event-bus:put': 'settled-local',
  'secret:admin-token': 'adm_local',
  'secret:sandbox-webhook': 'whsec_bG9jYWw=',
  'secret:gocardless-webhook': 'gocardless-local-secret',
  'api:base-url': 'http://127.0.0.1:3000',
  'token-key:use': 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=',
  'secret:aspsp-registry': '{"aspsps":[]}',
  'secret:tpp-credentials': '{"organisationId":"local"}',
  'bank-sync-queue:send': 'http://127.0.0.1:9324/000000000000/bank-sync',
  'statement-import-queue:send': 'http://127.0.0.1:9324/000000000000/statement-imports',
  'statement-files:write': 'settled-statement-files',
  'statement-files:read': 'settled-statement-files',
  'payouts-queue:send': 'http://127.0.0.1:9324/000000000000/payouts',
};
