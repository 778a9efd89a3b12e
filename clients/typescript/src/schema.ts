/**
 * Generated from docs/openapi.yaml by openapi-typescript (`npm run client:generate`). Do not edit by hand:
 * a unit test (test/unit/clients/typescript/schema-current.test.ts) fails when this file is not what the generator
 * makes of the current document.
 */

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness and readiness
         * @description 200 once the table answers. On the local runtime every request answers 503 `unavailable` until every part
         *     (DynamoDB Local, queues, event bus, sandbox bank) is ready, and while it shuts down.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This document, as JSON
         * @description docs/openapi.yaml as JSON, with one server: the base URL the request came in on (the local runtime locally,
         *     the API's domain on AWS), so a client or "Try it out" calls the runtime that served it. Revalidated every
         *     time (`cache-control: no-cache`, `etag`; `If-None-Match` with the current tag answers 304).
         */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The API reference (Swagger UI)
         * @description An HTML page rendering `GET /openapi.json` with Swagger UI, whose "Try it out" sends the examples to this
         *     runtime (paste an API key or the admin token into "Authorize"). Its scripts and styles come from
         *     `/docs/assets/`, never from another host, under a strict CSP (`script-src 'self'`, no inline script,
         *     `connect-src 'self'`, no framing).
         */
        get: operations["getApiReference"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs/assets/{asset}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A script or stylesheet of the API reference page
         * @description Swagger UI's bundle and stylesheet (swagger-ui-dist, shipped in the function) and its configuration. Names
         *     carry a hash of their content (the page links the current ones), so they are cached for good
         *     (`cache-control: public, max-age=31536000, immutable`).
         */
        get: operations["getApiReferenceAsset"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/console": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The operations console (a web page)
         * @description The operations console for people (docs/console.md): cash, payments, exceptions, payouts, links, mandates,
         *     the report and the event log, in a browser. Sign in with a tenant API key; the page calls this API from the
         *     browser with it (kept in the tab's sessionStorage only). Its script and stylesheet come from
         *     `/console/assets/`, under a strict CSP (`default-src 'none'`, `script-src 'self'`, `connect-src 'self'`, no
         *     inline script, no framing). Revalidated every time (`cache-control: no-cache`, `etag`).
         */
        get: operations["getConsole"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/console/assets/{asset}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The console's script or stylesheet
         * @description The console's bundle (`app.<hash>.js`) and stylesheet (`app.<hash>.css`), built from console/src at build
         *     time. Names carry a hash of their content (the page links the current ones), so they are cached for good
         *     (`cache-control: public, max-age=31536000, immutable`).
         */
        get: operations["getConsoleAsset"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a tenant and its API key
         * @description Not idempotent (no `Idempotency-Key`); each call creates a new tenant.
         */
        post: operations["createTenant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/tenants/{tenantId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a tenant (never its API key) */
        get: operations["getTenant"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the tenant's accounts (oldest first) */
        get: operations["listAccounts"];
        put?: never;
        /**
         * Connect a bank account (creates its AIS consent)
         * @description `sandbox`: authorised at once: the account is `active` and its consent `authorised`, with `reconfirmBy` 90
         *     days ahead. The account's cash position starts at `openingBalance`. The bank account is named by `iban`, or by
         *     `sortCode` + `accountNumber`: a GB IBAN gives both (and may come with them if they agree); another country's
         *     IBAN (an EUR account, say) stays the account's only identity, with `sortCode` and `accountNumber` null. A
         *     broken IBAN answers 400 with a detail on `iban` naming the rule (country, length, format, mod-97 check digits).
         *
         *     `obie` (a real bank, Open Banking UK v3.1.11 or v4.0): `aspspId` names one of `GET /v1/aspsps` (else 422
         *     `unknown_aspsp`). The account-access consent is created at the bank; the answer is the account
         *     `awaiting_authorisation` with `consent.authorisationUrl`, the bank's page where the account holder authorises
         *     it (within an hour). The bank then sends the browser to `GET /v1/consents/callback`, which connects the
         *     account named by `sortCode` + `accountNumber` (or, without them, the first in `currency`), opens its cash
         *     position at the bank's booked balance and makes it `active`; then on to `redirectUrl` if given.
         */
        post: operations["connectAccount"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{accountId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read an account */
        get: operations["getAccount"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{accountId}/transactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List an account's bank transactions (newest booking first)
         * @description Normalised transactions, one schema whatever the bank. Read under the account's AIS consent, checked first
         *     (nothing is read otherwise): 403 `consent_revoked` once revoked, `consent_reconfirmation_required` past
         *     `reconfirmBy` (and `consent.reconfirmation_required` is emitted, once per consent and period), `forbidden`
         *     while it is not authorised. Every successful call appends an immutable entry to the consent's access log
         *     (`GET /v1/consents/{consentId}/access-log`).
         *
         *     A pending transaction that a booked one replaced (its `supersededBy` is set) is hidden unless
         *     `includeSuperseded=true`, so the default list never counts the same money twice.
         *
         *     Filters and pages: `from`/`to` narrow the range read (booking time leads the sort key); the other filters
         *     apply to the rows read. A page is filled across several reads until it holds `limit` rows or the history
         *     ends (`nextCursor: null`). To keep one request's cost bounded, it reads at most 10 times (up to 200 rows
         *     each); a very selective filter over a long history may then answer a short page, even an empty one, WITH a
         *     `nextCursor`: follow it to carry on where the reading stopped. Only `nextCursor: null` means the end.
         */
        get: operations["listAccountTransactions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{accountId}/statements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import a bank statement file (camt.053 / camt.054, or CSV with a saved mapping)
         * @description For banks without API access, and to back-fill history. The body is the file itself:
         *     `Content-Type: application/xml` for ISO 20022 camt.053 (statement) or camt.054 (notification), any version
         *     from .001.02 to .001.08; `text/csv` with `?mapping={mappingId}` (`POST /v1/statement-mappings`) for a CSV
         *     export. Up to 50 MB and 200,000 entries a file.
         *
         *     The whole file is read before anything is stored. A file that cannot be read (not XML or CSV, an
         *     unsupported message or version, a required element missing, no header row holding the mapped columns, too
         *     many entries) answers 400 naming the first problem; a camt statement about another account (its IBAN, or
         *     its sort code and account number, or its stated currency, are not this account's) answers 422
         *     `statement_account_mismatch`. Either way nothing is stored. An entry that is not a transaction (a CSV
         *     trailer or blank line, an amount that cannot be read, an entry in another currency) is counted as
         *     `rejected` and listed in `errors`, and the rest is imported.
         *
         *     Accepted files answer 202 with the import, `status: processing`; its transactions then go through the same
         *     pipeline as bank webhooks: each is stored once per account (a re-import, an overlapping file or a
         *     transaction already received from the bank's feed is counted as a duplicate and stores nothing), reconciled
         *     against open payments (a reference that names an open payment settles it, exactly as webhook data does) and
         *     moves the cash position once. `GET` the import (or subscribe to `statement.imported`) for the outcome.
         *
         *     Identity of a statement entry: a booked entry (not a reversal) carrying the bank's own reference
         *     (`TxDtls/Refs/AcctSvcrRef`, or `Ntry/AcctSvcrRef` when the entry is not split) is stored under that
         *     reference, as bank feeds report it; every other entry under a hash of what it says (account, status,
         *     direction, amount, currency, booking date, references, and an ordinal among identical entries). A booked
         *     entry with the same end-to-end id, direction, amount and booking day as a transaction the feed reported is
         *     the same transaction. One transaction per `TxDtls` of an `Ntry` (one per `Ntry` without them); `RvslInd`
         *     entries are their own transactions in the opposite direction (`description` starts `Reversal`). Dates
         *     without a time are booked at midnight UTC.
         */
        post: operations["importStatement"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{accountId}/statements/{importId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a statement import and its outcome */
        get: operations["getStatementImport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/statement-mappings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Save how to read one bank's CSV export
         * @description `columns` names the header of each field; `amount` (one signed column) or `credit` and `debit` (two
         *     columns). `dateFormat` uses Unicode tokens (`dd/MM/yyyy`, `dd MMM yyyy`, `yyyy-MM-dd HH:mm`…);
         *     `decimalSeparator` is `.` or `,`; `amountSign` `debit_positive` reads card statements, where a positive
         *     amount is money out. Without `headerRow` the header is the first line holding every mapped name (preamble
         *     lines are skipped). Amounts may carry a currency symbol, thousands separators, a sign or a trailing CR/DR; a
         *     date cell reading `pending` makes a pending transaction.
         */
        post: operations["createStatementMapping"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/statement-mappings/{mappingId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a saved CSV mapping */
        get: operations["getStatementMapping"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/consents/{consentId}/access-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The AIS access log of a consent (newest first)
         * @description One immutable entry per retrieval of account data under the consent (today, each transaction listing).
         */
        get: operations["listConsentAccessLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/consents/{consentId}/reconfirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reconfirm an AIS consent for another 90 days
         * @description UK rules: the account holder reconfirms access every 90 days. `sandbox`: `reconfirmBy` moves 90 days from now
         *     at once. `obie`: a new consent is created at the bank and its page is the answer's `consent.authorisationUrl`;
         *     the consent in force keeps serving until its `reconfirmBy`, and the new one replaces it once authorised
         *     (through `GET /v1/consents/callback`, then `redirectUrl`). Only an `authorised` consent can be reconfirmed.
         */
        post: operations["reconfirmConsent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/consents/{consentId}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke an AIS consent
         * @description The consent is `revoked` (and the account `disconnected`) at once: nothing is retrieved under it again
         *     (transaction reads answer 403 `consent_revoked`). The bank is told (`DELETE /account-access-consents/{ConsentId}`);
         *     if it cannot be reached the consent is revoked here all the same. Revoking a revoked consent changes nothing.
         */
        post: operations["revokeConsent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/consents/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The banks' OAuth redirect after an account holder decided (HTML)
         * @description Registered at every bank as Settled's redirect URI; the bank sends the browser here with `code` and `state`
         *     (authorised) or `error` and `state` (refused). No API key: the single-use `state`, valid for an hour, is the
         *     authority. For an account-access consent the code is exchanged (PKCE), the accounts behind the consent read
         *     and the account connected. For a payment consent (the payer's chosen bank, or the tenant's bank for an
         *     outbound payment) the code is exchanged, the domestic payment submitted to the bank (idempotently, keyed by
         *     the payment id) and its status taken as a bank report; a refusal fails the payment
         *     (`authorisation_rejected`). For a mandate's VRP consent the code is exchanged, the payer's tokens sealed and
         *     kept for the payments under it, and the mandate made `active` (`mandate.activated`); a refusal makes it
         *     `rejected`; a page says which. For a file of a payout (a file-payment consent) the code is exchanged and the
         *     payer's tokens sealed for the file's submission; then 303 back to the payout's authorisation page while
         *     another file awaits authorisation, else the payout is decided (a refusal rejects the whole payout and fails
         *     its items) and a page says so. Then 303 to the `redirectUrl` given when connecting or paying (for an account
         *     `?accountId=`, and `&error=` when it was not connected: `consent_rejected`, `no_matching_account`; for a
         *     payment `?paymentId=&status=`), or without one a page saying what happened. An unknown, expired or already
         *     used `state` answers 400 (`invalid_state`) and changes nothing.
         */
        get: operations["consentCallback"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/aspsps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The banks this deployment is configured for (Open Banking UK)
         * @description The ASPSP registry, without credentials; an `aspspId` of `POST /v1/accounts` is one of these ids.
         */
        get: operations["listAspsps"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cash-position": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Settled and pending figures per account and currency
         * @description `settledBalance` is the opening balance plus every booked transaction, each counted once; it moves only
         *     with booked transactions. `pendingInbound` / `pendingOutbound` are executed-but-not-yet-settled payments (a
         *     partially settled one for what is still due) and pending transactions not tied to a payment and not yet
         *     superseded. `projectedBalance` = settledBalance + pendingInbound − pendingOutbound. Not paginated.
         */
        get: operations["getCashPosition"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List payments (newest first) */
        get: operations["listPayments"];
        put?: never;
        /**
         * Initiate a single payment
         * @description `inbound`: a payer pays the tenant's account (pay by bank); `outbound`: the tenant's account pays the
         *     counterparty, whose `sortCode` and `accountNumber` are then required. The account must be `active` (409
         *     `account_not_active`) and the currency must be the account's (400). Without `reference` one is generated:
         *     `ST` + 9 upper-case characters with a check character (e.g. `ST7KQ2M9XR4`), unique among the tenant's
         *     payments. The answer carries the bank's `authorisationUrl` for the payer (inbound) or the tenant (outbound).
         *
         *     **Confirmation of Payee** (outbound only): before anything is sent, the payee's bank is asked whether
         *     `counterparty.name` is the holder of the account; its answer is `counterparty.verification`. `no_match` and
         *     `close_match` (with `suggestedName`, the holder's name) stop the payment: it is created `failed` with
         *     `failureReason: "payee_name_mismatch"` and `authorisationUrl: null`, is never sent to the bank, and
         *     `payment.failed` is published, unless the request says `"confirmationOfPayee": "proceed_on_mismatch"`.
         *     `unavailable` (the payee's bank does not take part in the scheme) proceeds: there is no answer to act on,
         *     as with a payee bank outside CoP today. The sandbox rules: an account number ending 9999 belongs to
         *     "Jordan Example" (that name in any case or punctuation `match`, "J Example" or one typo `close_match`, any
         *     other `no_match`); one ending 0000 is `unavailable`; any other account's holder is whoever the request names.
         */
        post: operations["createPayment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/payments/{paymentId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a payment */
        get: operations["getPayment"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/payouts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List payouts (newest first) */
        get: operations["listPayouts"];
        put?: never;
        /**
         * Create a bulk payout (1 to 10,000 outbound payments, one authorisation)
         * @description One call, one authorisation at the tenant's bank (`authorisationUrl`). Every item is checked first: a bad
         *     item is reported on its own path (`items[3].amount`), every bad item at once, and nothing of a half-valid
         *     batch is accepted (400 `validation_failed`); `externalId` must be unique in the batch. Each item becomes an
         *     outbound payment (`payoutId` on it) with its own reference: the tenant's, or a generated one (`SP` + 11
         *     upper-case characters with a check character, unique among the tenant's payments). Confirmation of Payee is
         *     asked for every item before anything leaves: an item whose payee name does not match is stored `failed` with
         *     `failureReason: "payee_name_mismatch"` and never sent to the bank, unless `confirmationOfPayee` is
         *     `proceed_on_mismatch`. A replay (`idempotent-replayed: true`) answers the payout and its items as they are now.
         *     Bodies up to 5 MB. From a sandbox account the batch is one authorisation on the sandbox bank's page. From
         *     an account at an Open Banking bank it goes as the bank's file payments, cut into files of at most the bank's
         *     own limit: `authorisationUrl` is Settled's page (`GET /payout-authorisations/{bankBatchId}`), which takes the
         *     payer to their bank once per file and back, and the payout is decided when the last file is authorised (or
         *     rejected when the payer refuses one). A file the bank rejects whole fails each of its items with the bank's
         *     reason; an item the bank rejects in its report fails on its own. An account whose bank offers no file
         *     payments here answers 422 `payouts_not_supported`.
         */
        post: operations["createPayout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/payouts/{payoutId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a payout, its counts and totals */
        get: operations["getPayout"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/payouts/{payoutId}/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a payout's payments (in item order), e.g. its failures
         * @description `status=failed` lists the items that failed, each with its `failureReason`, the moment the bank reports them
         *     (a rejection at execution, a chunk the bank refused whole: `chunk_rejected_by_bank`, a payee name mismatch).
         *     A page reads at most 2,000 items before it answers, possibly short, with a `nextCursor`.
         */
        get: operations["listPayoutPayments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/mandates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List mandates (newest first) */
        get: operations["listMandates"];
        put?: never;
        /**
         * Create a variable recurring payment mandate (VRP)
         * @description A mandate lets the tenant pull payments from the payer into `accountId` (inbound payments) with no
         *     authorisation per payment, within its limits: `maxPerPayment`, and per period (`day`, `week`, `fortnight`,
         *     `month`, `half-year`, `year`) a `maxAmount` with `calendar` alignment (UTC day, ISO week from Monday,
         *     calendar month, January–June / July–December, calendar year) or `consent` alignment (windows counted from
         *     `validFrom`, or from the activation, in steps of the period; months from the anchor's day of month). A
         *     fortnight has only consent alignment (400 otherwise). The payer authorises it once at `authorisationUrl`;
         *     it is then `active` (`mandate.activated`). On a `sandbox` account that is the sandbox bank's page (`sbm_…`).
         *     On an `obie` account the mandate is a `domestic-vrp-consent` (Open Banking VRP v4.0) at the account's bank,
         *     its ControlParameters the limits, and `authorisationUrl` is that bank's authorisation page; the bank brings
         *     the payer back to `/v1/consents/callback`, which activates the mandate. An account at a bank that does not
         *     speak v4.0 answers 400 (`accountId`).
         */
        post: operations["createMandate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/mandates/{mandateId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                mandateId: components["parameters"]["MandateId"];
            };
            cookie?: never;
        };
        /**
         * Read a mandate and its usage per period
         * @description `usage` has one entry per periodic limit: the current window (`windowStart` inclusive, `windowEnd`
         *     exclusive), what payments used of it and what `remaining` is. While the mandate awaits authorisation,
         *     reading it asks the bank for the payer's decision. After `validTo` its status reads `expired`.
         */
        get: operations["getMandate"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/mandates/{mandateId}/payments": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                mandateId: components["parameters"]["MandateId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Take a payment under an active mandate (no authorisation by the payer)
         * @description An inbound payment into the mandate's account, with its own `reference` (the request's, or a generated one
         *     unique among the tenant's payments, so its booked credit matches it alone) and `mandateId`; status
         *     `authorised` (the mandate is its authorisation); it then settles like any payment. The limits are enforced
         *     exactly, even for concurrent payments: the payment and every period's usage are one atomic write, each
         *     period conditional on staying within its maximum. Over a limit: 422 `mandate_limit_exceeded`, whose message
         *     and `details` name the limit (`limits.maxPerPayment` or `limits.periods[i]`, with its maximum and what is
         *     left), and nothing is sent to the bank. A mandate not `active` (awaiting authorisation, rejected, revoked,
         *     expired, or before `validFrom`): 409 `mandate_not_active`.
         */
        post: operations["createMandatePayment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/mandates/{mandateId}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                mandateId: components["parameters"]["MandateId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke a mandate
         * @description No payment is taken under it afterwards (409 `mandate_not_active`), including one already past its checks:
         *     the payment's write checks the mandate is still active. The bank is told after. `mandate.revoked`. Revoking
         *     a revoked mandate answers it again; a rejected or expired one is 409.
         */
        post: operations["revokeMandate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/payments/{paymentId}/refunds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Refund (part of) a settled inbound payment
         * @description Sends money a settled (or partially settled) inbound payment brought in back to its payer: 201 a new
         *     outbound payment with `refundOf` naming the original, initiated with the bank like any outbound payment
         *     (the tenant authorises it at its `authorisationUrl`); its booked debit settles it through the normal loop
         *     (`payment.settled`). `amount` defaults to all that is still refundable. The payer's account is the
         *     original's `counterparty` when it names a sort code and account number, else the sender of the booked
         *     transaction that settled it; when neither is known, 422 `payer_account_unknown`.
         *
         *     Refunds of one payment never add up to more than it settled (`settlement.amountSettled`, an over-payment
         *     included): 422 `refund_exceeds_settled`, `details` saying how much can still be refunded. This is checked
         *     atomically, also under concurrent requests: the refund is created in the same write as a conditional raise
         *     of the original's refund counter. A refund that later fails or expires gives its amount back.
         *
         *     Confirmation of Payee checks the payer's name like any outbound payment's (`confirmationOfPayee`); a refund
         *     it stops is created `failed` (`payee_name_mismatch`), is never sent and counts nothing against the cap.
         */
        post: operations["refundPayment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/payment-links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List payment links (newest first) */
        get: operations["listPaymentLinks"];
        put?: never;
        /**
         * Create a payment link
         * @description A link (`url`) to a hosted page where a payer sees the amount (`£1,234.56`), the payee (the account's name)
         *     and the reference, chooses their bank (the sandbox bank for a sandbox account; the configured Open Banking
         *     banks for an `obie` account) and is sent to its authorisation page. Each choice creates an inbound payment
         *     on the link's account with the link's `reference`, `invoiceId`, `redirectUrl` and `linkId`.
         *     `singleUse` (default true): at most one payment is ever made through it, even when payers submit at once;
         *     its payment carries the link's reference unchanged, and its settlement completes the link
         *     (`payment_link.completed`). Multi-use: up to 1,000 payments, each with the link's reference plus `-` and 4
         *     characters of its own (`INV-42-7KQ2`), so each booked credit settles exactly its payment; the reference is
         *     then at most 13 characters. A multi-use link never completes; it stays `active` until `expiresAt` or
         *     `POST /v1/payment-links/{id}/deactivate`.
         *     Without `reference` one is generated (`ST…`, as for payments). `expiresAt` must be in the future;
         *     `redirectUrl` must be https (http only on a loopback host: `127.0.0.1`, `localhost`, `[::1]`).
         */
        post: operations["createPaymentLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/payment-links/{linkId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a payment link
         * @description Its `status` is read against the clock (`expired` from `expiresAt` on) and `payments` lists every payment made through it.
         */
        get: operations["getPaymentLink"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook-endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List webhook endpoints (oldest first, never their secrets) */
        get: operations["listWebhookEndpoints"];
        put?: never;
        /**
         * Register an endpoint for tenant callbacks
         * @description The URL must be https and must not be or resolve to a private, loopback, link-local or metadata address
         *     (IPv4-mapped IPv6 forms included), nor carry credentials (`user:password@`); otherwise 400
         *     `validation_failed` with a `url` detail naming the rule, e.g. "url must not point at the cloud metadata
         *     address: 169.254.169.254". It is checked again before every delivery and at connect time. The local runtime
         *     (`SETTLED_ALLOW_PRIVATE_CALLBACKS=true`) also allows http and loopback only (127.0.0.0/8, ::1, localhost);
         *     private, link-local and metadata addresses and credentials stay refused there too. Omit `events` to receive
         *     every event type. The functions that deliver callbacks read a tenant's endpoints at most every 5 seconds,
         *     so an event published within 5 seconds of the registration may not be sent to the new endpoint; every event
         *     stays in `GET /v1/events`.
         *     The answer includes the signing `secret`, shown this once.
         */
        post: operations["createWebhookEndpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook-endpoints/{endpointId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpointId: components["parameters"]["EndpointId"];
            };
            cookie?: never;
        };
        /** Read a webhook endpoint (never its secret) */
        get: operations["getWebhookEndpoint"];
        put?: never;
        post?: never;
        /**
         * Delete a webhook endpoint
         * @description Deliveries to it stop within 5 seconds (the delivering functions read a tenant's endpoints at most that often, so an attempt in those seconds may still reach it); deleting it again answers 404.
         */
        delete: operations["deleteWebhookEndpoint"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook-endpoints/{endpointId}/redeliveries": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpointId: components["parameters"]["EndpointId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send one of your events again to this endpoint
         * @description Queues the event for this endpoint only, whatever happened to its first delivery (delivered, given up, or
         *     never sent because the endpoint did not exist yet). The endpoint receives the same body with the same
         *     `webhook-id` (the event id, so a receiver that deduplicates by it can tell it is a repeat), signed afresh,
         *     with the usual retries for 72 hours and backoff. Each accepted redelivery is sent once; the same
         *     `Idempotency-Key` again answers the first 202 and sends nothing more. The 202 means the attempt is on the
         *     delivery queue, not that the endpoint has answered.
         */
        post: operations["redeliverEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's event log (oldest first), for replay and polling
         * @description Every event once, whether or not any endpoint subscribed to it, in the body shape endpoints receive.
         *     Polling: pass the last event id you processed as `after`.
         *
         *     A payment's events follow its own history, one per state it passed, each once: `payment.authorised`,
         *     `payment.executed`, then `payment.settled` / `payment.partially_settled` / `payment.failed` /
         *     `payment.returned`. A state the bank's messages skipped (the booked credit before any status webhook) is
         *     still published, just before the state after it (`createdAt` a millisecond apart). Each endpoint receives
         *     each event once in a healthy run (at least once under failure), always with `webhook-id` = the event id.
         */
        get: operations["listEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reconciliation/exceptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Exceptions, newest first
         * @description Opened in the same atomic write as the transaction that caused them: `unmatched` (no open payment carries
         *     the reference, or not as an open payment of that direction and currency), `ambiguous` (several open
         *     payments reachable; none is picked), `amount_mismatch` (an over-payment settled the payment: decide what to
         *     do with the excess), `duplicate_payment` (the reference names a payment already settled: the payment keeps
         *     what it settled and this money stays unapplied until a person resolves it), `returned`
         *     (money went back against a settled payment, which is now `returned` and open again). Each is announced by
         *     a `reconciliation.exception_opened` event. Filters apply after the page is read, so a page may be short.
         */
        get: operations["listReconciliationExceptions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reconciliation/exceptions/{exceptionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One exception */
        get: operations["getReconciliationException"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reconciliation/exceptions/{exceptionId}/resolve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resolve an exception by manual match, refund or dismissal
         * @description `match` settles the named open payments (same account, currency and direction as the transaction) with the
         *     transaction, allocating its amount in the order given (each takes what it still owes; the last takes any
         *     excess, shown as `overpaidBy`), through the same exactly-once conditional writes as automatic matching;
         *     the transaction becomes `matched` with `matchedBy: manual` and each payment's events go out. For a
         *     `duplicate_payment`, `match` to the settled payment it names accepts the second payment as over-payment:
         *     `amountSettled` grows and `overpaidBy` shows the surplus (its `settledAt` and `matchedBy` stay; no second
         *     `payment.settled`). `refund` sends a received, booked transaction's money back to the payer: an outbound
         *     payment for its amount to the counterparty the bank reported (`resolution.refundPaymentId`; its metadata
         *     names the exception and the transaction), created with the resolution and authorised at the bank like any
         *     outbound payment; 422 `counterparty_account_unknown` when the bank reported no sort code and account
         *     number. `dismiss` closes it with a note and moves nothing. `amount_mismatch` and `returned` exceptions can
         *     only be dismissed. Every resolution records who (`by`: the id of the API key that asked, never the key)
         *     and when (`at`), and emits `reconciliation.exception_resolved` once. An exception is resolved once: a
         *     second resolution, or the loser of two at the same moment, is 409 `exception_already_resolved` (a retry
         *     with the same `Idempotency-Key` answers the first response again).
         */
        post: operations["resolveReconciliationException"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reconciliation/report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The period report for month-end
         * @description Per account and currency, money in (credits) and money out (debits) kept apart, never one sum: the
         *     transactions booked in the period by how they reconciled (`matched`, `unmatched`, `needsReview`,
         *     `returned`, `pending`) and `totalBooked` (every status but pending), and `net` = in − out of the booked
         *     totals. A pending entry replaced by its booked twin is counted once, as the booked one. A return (a debit
         *     returning a settled inbound payment, a credit returning an outbound one: its exception is `returned`) is
         *     counted as `returned`, never as `matched`, whether or not its exception is resolved. Then payments settled
         *     in the period and payments still open (created by `to`; the amount is what they still owe), each by
         *     direction; exceptions opened in the period by type and by age at `asOf` (`to`, or now if earlier), each
         *     with open and resolved counts; and executed→settled latency percentiles in milliseconds (nearest rank;
         *     only payments whose execution was seen), with the same latencies as a fixed-bucket `histogram`. Every account in scope appears in its own currency, even with
         *     nothing in the period. Amounts are decimal strings with the currency's decimals, never summed across
         *     currencies; only `net` may be negative.
         *
         *     `format=csv` answers the same numbers as `text/csv` (RFC 4180, CRLF, a header row) for a spreadsheet:
         *     one row per account × currency × section × direction × status, columns `account_id, account_name,
         *     currency, section, direction, status, count, amount, milliseconds`. Sections: `transactions` (direction
         *     `in`/`out`, status `matched`, `unmatched`, `needs_review`, `returned`, `pending`, `total_booked`), `net`
         *     (direction `in` for a net inflow, `out` for a net outflow; the amount unsigned), `payments` (`in` =
         *     inbound, `out` = outbound; status `settled_in_period`, `open`), `exceptions_by_type` and
         *     `exceptions_by_age` (status `<type or bucket>/open|resolved`, a count), `settlement_latency` (status
         *     `p50`, `p90`, `p99`; `count` settlements, `milliseconds`), `settlement_latency_histogram` (status
         *     `le_<ms>` for each bucket bound, then `gt_86400000`; `count` settlements in the bucket, every bucket even
         *     when 0). Amounts are never signed; a text cell starting
         *     with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'` so a spreadsheet never runs it as a formula.
         *
         *     The period is `from` < `to`, at most 366 days (else 400 naming `to`). A period holding more than 50,000
         *     records of a kind answers 400: narrow it or name an account. Another tenant's account answers 404.
         */
        get: operations["getReconciliationReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/bank-webhooks/{provider}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ingress of bank and aggregator webhooks
         * @description Verified before anything is parsed or stored: the Standard Webhooks signature (HMAC-SHA256 over
         *     `{webhook-id}.{webhook-timestamp}.{body}` with the provider's `whsec_…` secret; several space-separated
         *     signatures are accepted for key rotation) and a timestamp within 5 minutes of now. Then the body is
         *     validated and each fact (each transaction, or the payment status) is queued for reconciliation; 202 only
         *     once they are durably queued. Repeating a webhook is safe: transactions are stored once per bank
         *     transaction id. A transaction that names no connected account is kept aside, never dropped. No bearer token
         *     and no `Idempotency-Key`.
         *
         *     Providers: `sandbox` (the canonical format, Standard Webhooks headers) and `obie` (an Open Banking UK
         *     event notification: the body is the bank's signed JWT, `Content-Type: application/jwt`, verified against
         *     the JWKS of the bank its `iss` names (fetched again once on an unknown `kid`), with `aud` our client id at
         *     that bank; its `jti` is taken once per bank, so a replay answers 202 and changes nothing). For `obie` the
         *     `webhook-*` headers are not used; a transactions `resource-update` makes Settled fetch the account's new
         *     transactions through the bank's AIS API, a `domestic-payment` one the payment's status.
         *
         *     `truelayer`: a TrueLayer Payments API v3 webhook, verified with its `Tl-Signature` (detached ES512 JWS over
         *     the method, this path, the signed headers including `X-Tl-Webhook-Timestamp`, and the raw body) against the
         *     JWKS its `jku` names, which must be one of the configured TrueLayer JWKS URLs (fetched again once on an
         *     unknown `kid`); a timestamp older than 73 hours (TrueLayer retries for 72) or more than 5 minutes ahead is
         *     refused. `payment_authorized` / `payment_executed` / `payment_settled` / `payment_failed` become the
         *     status authorised / executed / executed / rejected of the payment with that TrueLayer `payment_id`;
         *     `payout_executed` / `payout_failed` the same for a `payout_id`; other types (creditable, settlement stalled,
         *     refunds, external payments, unknown types) answer 202 with `received: 0`.
         *
         *     `gocardless`: a GoCardless `{ "events": [...] }` body, verified with `Webhook-Signature` (hex HMAC-SHA256 of
         *     the raw body with the endpoint's secret). Payments `submitted` → authorised, `confirmed` / `paid_out` →
         *     executed, `failed` / `cancelled` → rejected (reason: `details.cause`), payouts `paid` → executed, each for
         *     the id in `links`; every other event is ignored. Any other provider answers 404.
         */
        post: operations["receiveBankWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/checkout/{bankPaymentId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The random id (`obp_…`) in an Open Banking inbound payment's `authorisationUrl`. */
                bankPaymentId: string;
            };
            cookie?: never;
        };
        /**
         * The payer's bank choice (HTML)
         * @description The `authorisationUrl` of an inbound payment to an account at an Open Banking bank: the amount, the payee,
         *     the reference and one button per bank this deployment is configured for (`GET /v1/aspsps`). Works without
         *     JavaScript. An unknown link is a 404 page; a payment no longer awaiting authorisation a 409 page.
         */
        get: operations["getBankChoicePage"];
        put?: never;
        /**
         * Choose the bank to pay from
         * @description Creates a domestic-payment consent at the chosen bank (the tenant's account as creditor) and answers 303 to
         *     that bank's authorisation page. The bank sends the payer back to `GET /v1/consents/callback`, where Settled
         *     submits the payment and sends the payer on to the payment's `redirectUrl`. Choosing again makes a new
         *     consent; only the latest is honoured. JSON or form; errors answer in the same kind.
         */
        post: operations["chooseBank"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/payment-links/{linkId}/deactivate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End a payment link now
         * @description Its `expiresAt` becomes now, so it reads `expired` and its page takes no further payment (the same conditional
         *     write as a payment through it: one or the other wins). Payments already made through it go on and settle. A
         *     multi-use link's only end besides its expiry. An expired link is answered as it is; a completed one 410
         *     `payment_link_completed`.
         */
        post: operations["deactivatePaymentLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/payout-authorisations/{bankBatchId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id (`obb_…`) in the `authorisationUrl` of a payout from an Open Banking account. */
                bankBatchId: string;
            };
            cookie?: never;
        };
        /**
         * The payer's way through a payout's authorisation at their bank
         * @description The `authorisationUrl` of a payout from an account at an Open Banking bank. While a file of the payout still
         *     awaits authorisation, answers 303 to the bank's page for the next one (a file-payment consent with the file
         *     uploaded); the bank sends the payer back to `GET /v1/consents/callback`, which sends them here again until
         *     every file is authorised, then shows that the payouts are authorised. Coming back while a file awaits its
         *     authorisation makes a new consent for it (only the latest is honoured). A decided payout shows where it
         *     stands (200); an unknown id is a 404 page.
         */
        get: operations["getPayoutAuthorisationPage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/links/{linkId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The link's id, the last segment of its `url`. */
                linkId: string;
            };
            cookie?: never;
        };
        /**
         * A payment link's page (HTML)
         * @description A payment link's `url`, for the payer (no API key): the amount as `£1,234.56`, the payee, the reference and one
         *     button per bank to pay from, and a way back to the merchant when the link has a `redirectUrl`. No script
         *     at all; answered with `Content-Security-Policy: default-src 'none'; style-src 'sha256-…'; base-uri 'none';
         *     frame-ancestors 'none'` and `X-Frame-Options: DENY`. A link that can take no payment answers a page saying
         *     so: 410 paid or expired, 409 a single-use link already being paid, 404 unknown.
         */
        get: operations["getPaymentLinkPage"];
        put?: never;
        /**
         * Pay through a link from the chosen bank
         * @description Creates the inbound payment (the link's reference, `invoiceId`, `redirectUrl`, `linkId`) and answers 303 to
         *     the chosen bank's authorisation page: the sandbox bank's page (`aspspId: sandbox`, for a sandbox account) or,
         *     for an Open Banking account, a domestic-payment consent at the chosen bank (one of `GET /v1/aspsps`). A
         *     single-use link takes one payment only: a second submission, even at the same moment, answers 409
         *     `payment_link_in_use` and creates nothing. JSON or form; errors answer in the same kind.
         */
        post: operations["payThroughLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sandbox/authorisations/{bankPaymentId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The sandbox bank's payment id (`sbp_…`), the last segment of the payment's `authorisationUrl`, or its
                 *     mandate id (`sbm_…`), the last segment of a mandate's: the page then shows the mandate's limits and the
                 *     payments taken under it, and the decision authorises the mandate once (no webhooks).
                 */
                bankPaymentId: string;
            };
            cookie?: never;
        };
        /**
         * The sandbox bank's hosted authorisation page (HTML)
         * @description A payment's `authorisationUrl`. Shows the amount, reference and accounts with Approve / Reject buttons, which
         *     post the form to the same URL; once decided it shows the decision instead. An unknown link is a 404 page and
         *     a link left undecided for 24 hours a 410 page, never JSON.
         */
        get: operations["getSandboxAuthorisationPage"];
        put?: never;
        /**
         * Approve or reject a sandbox payment
         * @description What the page's buttons do, also for programs. As JSON (any Content-Type other than form) the answer is JSON;
         *     as `application/x-www-form-urlencoded` (the page's form) it is an HTML page. The bank then sends its webhooks
         *     (payment status, transactions) to `POST /v1/bank-webhooks/sandbox` after the delays of the account's
         *     `sandboxProfile`. Repeating the same decision answers 200 again and resends the same webhooks (same ids);
         *     the opposite decision answers 409 `already_decided`. Errors answer in the same kind: an HTML page to the form,
         *     JSON in the error shape to a JSON request.
         *     A form decision on a payment created with a `redirectUrl` answers 303 to it, with `?paymentId=…&status=`
         *     `authorised` or `failed`, as a real bank sends the payer back.
         */
        post: operations["decideSandboxAuthorisation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    tenantEvent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An event delivered to a tenant's webhook endpoint
         * @description Settled POSTs each event to every enabled endpoint of the tenant that subscribes to its type, signed with
         *     the endpoint's secret using Standard Webhooks: `webhook-signature` is `v1,` + base64 HMAC-SHA256 over
         *     `{webhook-id}.{webhook-timestamp}.{body}` with the secret's base64 part (after `whsec_`). `webhook-id` is the
         *     event id, the same on every attempt, so receivers can drop duplicates. Redirects are not followed. The
         *     same events can be read from `GET /v1/events`.
         */
        post: operations["deliverTenantEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        Error: {
            error: {
                /**
                 * @description Stable machine-readable code to branch on (see the table in the description).
                 * @example validation_failed
                 */
                code: string;
                /** @description For people; may change. */
                message: string;
                details: components["schemas"]["ErrorDetail"][];
            };
        };
        ErrorDetail: {
            /** @description Dot path of the offending field (`counterparty.sortCode`), empty for the body itself. */
            path: string;
            /**
             * @description The field and the rule in plain words: "tenantId is not a field of this request", "limit must be at
             *     least 1", "accountId is required", "status must be one of booked or pending", "amount must be a decimal
             *     string like \"125.00\"…".
             */
            message: string;
        };
        /**
         * @description A non-negative decimal string in major units. In responses, exactly the currency's number of decimals.
         * @example 125.00
         */
        Amount: string;
        /**
         * @description A decimal string in major units with the currency's exact number of decimals; may be negative.
         * @example -12.50
         */
        SignedAmount: string;
        /**
         * @description ISO 4217 code. Supported: GBP, EUR, USD, CHF, SEK, NOK, DKK, PLN, CZK, HUF, RON, BGN, AUD, CAD, NZD, HKD,
         *     SGD, ZAR (2 decimals); JPY, ISK, KRW, CLP (none); KWD, BHD, OMR, JOD, TND (3). Others answer 400.
         * @example GBP
         */
        Currency: string;
        /** @example 040004 */
        SortCode: string;
        /** @example 12345678 */
        AccountNumber: string;
        /**
         * Format: date-time
         * @example 2026-11-24T10:00:00.000Z
         */
        Timestamp: string;
        TenantId: string;
        AccountId: string;
        ConsentId: string;
        PaymentId: string;
        /** @example bat_5KQ2M9XR4T7W1B3C8D6E0F2G4H */
        PayoutId: string;
        TransactionId: string;
        WebhookEndpointId: string;
        EventId: string;
        ExceptionId: string;
        /** @description Leading and trailing whitespace is trimmed; must not be empty. */
        PersonName: string;
        Tenant: {
            id: components["schemas"]["TenantId"];
            name: string;
            createdAt: components["schemas"]["Timestamp"];
        };
        /**
         * @example {
         *       "name": "Acme Billing"
         *     }
         */
        CreateTenantRequest: {
            /** @description Trimmed; must not be empty. */
            name: string;
        };
        /** @description The tenant and, this once, its API key. */
        CreatedTenant: {
            id: components["schemas"]["TenantId"];
            name: string;
            createdAt: components["schemas"]["Timestamp"];
            apiKey: string;
        };
        /**
         * @description How the sandbox bank behaves for this account (docs/architecture.md §4.3): `exact` sends authorised, executed, then the
         *     booked transaction with the reference unchanged; `uk-realistic` puts a Faster Payments id in the reference
         *     field and the payer's reference, mangled, in the narrative, and sends a pending transaction before the booked
         *     one; `chaotic` is uk-realistic plus a duplicated booked webhook, the executed status late or never, and now
         *     and then a rejection at execution.
         * @enum {string}
         */
        SandboxProfile: "exact" | "uk-realistic" | "chaotic";
        /** @description Which bank account to connect, by provider. */
        ConnectAccountRequest: components["schemas"]["ConnectSandboxAccountRequest"] | components["schemas"]["ConnectObieAccountRequest"];
        /**
         * @example {
         *       "provider": "sandbox",
         *       "name": "Acme Ltd",
         *       "sortCode": "040004",
         *       "accountNumber": "12345678",
         *       "currency": "GBP",
         *       "sandboxProfile": "exact",
         *       "openingBalance": "0.00"
         *     }
         * @example {
         *       "provider": "sandbox",
         *       "name": "Acme GmbH",
         *       "iban": "DE89 3704 0044 0532 0130 00",
         *       "currency": "EUR",
         *       "openingBalance": "2500.00"
         *     }
         */
        ConnectSandboxAccountRequest: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            provider: "sandbox";
            name: components["schemas"]["PersonName"];
            /**
             * @description The account's IBAN, printed (`DE89 3704 0044 0532 0130 00`) or electronic, any case; stored in electronic
             *     form. Instead of `sortCode` + `accountNumber`, or with them when it is a GB IBAN containing them.
             * @example DE89 3704 0044 0532 0130 00
             */
            iban?: string;
            sortCode?: components["schemas"]["SortCode"];
            accountNumber?: components["schemas"]["AccountNumber"];
            currency: components["schemas"]["Currency"];
            /** @default exact */
            sandboxProfile: components["schemas"]["SandboxProfile"];
            /**
             * @description The balance the cash position starts from, in the currency's own decimal places (none for JPY, three for KWD); zero allowed, never negative.
             * @default 0
             */
            openingBalance: components["schemas"]["Amount"];
        } | unknown | unknown;
        /**
         * @description A real bank. `sortCode` and `accountNumber` (both or neither) name the account wanted among those the holder
         *     shares; without them the first in `currency` is connected. The opening balance is the bank's booked balance.
         * @example {
         *       "provider": "obie",
         *       "aspspId": "mock-v4",
         *       "name": "Acme Ltd",
         *       "currency": "GBP",
         *       "redirectUrl": "https://acme.example/settled/connected"
         *     }
         */
        ConnectObieAccountRequest: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            provider: "obie";
            /** @description One of `GET /v1/aspsps`. */
            aspspId: string;
            name: components["schemas"]["PersonName"];
            currency: components["schemas"]["Currency"];
            sortCode?: components["schemas"]["SortCode"];
            accountNumber?: components["schemas"]["AccountNumber"];
            /**
             * Format: uri
             * @description Where the holder's browser goes after the bank, with `?accountId=`; without it, Settled's own page.
             */
            redirectUrl?: string;
        };
        ReconfirmConsentRequest: {
            /**
             * Format: uri
             * @description obie only; where the holder's browser goes after the bank.
             */
            redirectUrl?: string;
        };
        /** @description A bank (ASPSP) this deployment talks to, with its Open Banking UK API version and endpoints. */
        Aspsp: {
            /** @example mock-v4 */
            id: string;
            name: string;
            /** @enum {string} */
            apiVersion: "v3.1.11" | "v4.0";
            /**
             * Format: uri
             * @description The OpenID Provider issuer (also the `iss` of its event notifications).
             */
            issuer: string;
            /** Format: uri */
            authorizationEndpoint: string;
            /** Format: uri */
            tokenEndpoint: string;
            /**
             * Format: uri
             * @description The Read/Write API base, e.g. `https://bank.example/open-banking/v4.0`.
             */
            resourceBaseUrl: string;
            /** Format: uri */
            jwksUri: string;
            /** @description Whether the bank offers aggregated polling (`POST /events`). */
            aggregatedPolling: boolean;
        };
        AspspList: {
            data: components["schemas"]["Aspsp"][];
        };
        /** @description The AIS consent through which the account is read. */
        Consent: {
            id: components["schemas"]["ConsentId"];
            /**
             * @description `rejected`: refused at the bank, or the bank offered no account that fits.
             * @enum {string}
             */
            status: "awaiting_authorisation" | "authorised" | "rejected" | "expired" | "revoked";
            /**
             * Format: uri
             * @description obie: the bank's page awaiting the holder (a first authorisation or a reconfirmation); null otherwise.
             */
            authorisationUrl: string | null;
            /**
             * Format: date-time
             * @description When the consent lapses altogether; null when the provider sets no end (the sandbox).
             */
            expiresAt: string | null;
            /** @description UK rules; the customer reconfirms access every 90 days. Past it, transaction reads answer 403 `consent_reconfirmation_required`. */
            reconfirmBy: components["schemas"]["Timestamp"];
        };
        Account: {
            id: components["schemas"]["AccountId"];
            /**
             * @description Sandbox accounts are `active` at once; `disconnected` once its consent is revoked or rejected.
             * @enum {string}
             */
            status: "active" | "awaiting_authorisation" | "disconnected";
            /** @enum {string} */
            provider: "sandbox" | "obie";
            name: string;
            /** @description null while an obie account that named none awaits authorisation, and for an account named by a non-GB IBAN. */
            sortCode: components["schemas"]["SortCode"] | null;
            /** @description null while an obie account that named none awaits authorisation, and for an account named by a non-GB IBAN. */
            accountNumber: components["schemas"]["AccountNumber"] | null;
            /**
             * @description The IBAN the account was named by, in electronic form; null when it was named by sort code and account number.
             * @example DE89370400440532013000
             * @example null
             */
            iban: string | null;
            currency: components["schemas"]["Currency"];
            /**
             * @description The sandbox profile; null for other providers.
             * @enum {string|null}
             */
            sandboxProfile: "exact" | "uk-realistic" | "chaotic" | null;
            /** @description obie: the bank (`GET /v1/aspsps`); null for the sandbox. */
            aspspId: string | null;
            /** @description obie: the booked balance the bank reported when the account was connected ("0.00" before). */
            openingBalance: components["schemas"]["Amount"];
            consent: components["schemas"]["Consent"];
            createdAt: components["schemas"]["Timestamp"];
        };
        AccountList: {
            data: components["schemas"]["Account"][];
            nextCursor: components["schemas"]["NextCursor"];
        };
        /** @description Pass as `cursor` for the next page; null on the last page. */
        NextCursor: string | null;
        Counterparty: {
            name: components["schemas"]["PersonName"];
            sortCode?: components["schemas"]["SortCode"];
            accountNumber?: components["schemas"]["AccountNumber"];
            verification?: components["schemas"]["PayeeVerification"];
        };
        /** @description The counterparty as the request named it, with the Confirmation of Payee answer for an outbound payment. */
        PaymentCounterparty: {
            name: components["schemas"]["PersonName"];
            sortCode?: components["schemas"]["SortCode"];
            accountNumber?: components["schemas"]["AccountNumber"];
            verification?: components["schemas"]["PayeeVerification"];
        };
        /**
         * @description The Confirmation of Payee answer the payee's bank gave for an outbound
         *     payment before it was sent. `close_match` carries `suggestedName`, the account holder's name.
         * @example {
         *       "result": "close_match",
         *       "suggestedName": "Jordan Example"
         *     }
         */
        PayeeVerification: {
            /** @enum {string} */
            result: "match" | "close_match" | "no_match" | "unavailable";
            suggestedName?: string;
        };
        /**
         * @description What a Confirmation of Payee `no_match` or `close_match` does to an outbound payment: `stop` (the default)
         *     creates it `failed` with `payee_name_mismatch`, never sent; `proceed_on_mismatch` sends it anyway.
         *     Ignored for inbound payments (nothing is checked).
         * @enum {string}
         */
        ConfirmationOfPayee: "stop" | "proceed_on_mismatch";
        CreateRefundRequest: {
            /** @description Greater than zero; at most what is still refundable. Omit it to refund all that is. */
            amount?: components["schemas"]["Amount"];
            /** @description The refund's reference, by the rules of a payment's; omit it to have one generated. */
            reference?: string;
            confirmationOfPayee?: components["schemas"]["ConfirmationOfPayee"];
        };
        /** @enum {string} */
        TransactionStatus: "booked" | "pending";
        /**
         * @description `matched`: settled the payments in `paymentIds`; `unmatched`: no open payment's reference; `needs_review`:
         *     the reference pointed at several open payments (`candidatePaymentIds`), none picked; `pending`
         *     (extension): not yet booked, so it settles nothing.
         * @enum {string}
         */
        ReconciliationStatus: "matched" | "unmatched" | "needs_review" | "pending";
        /**
         * @description A bank transaction on one connected account, normalised from any bank's format and stored once.
         * @example {
         *       "id": "txn_01JD3Z6Q5W8K4M2N7P9R1S3T5V",
         *       "accountId": "acc_01JD3Z6Q5W8K4M2N7P9R1S3T5V",
         *       "bankTransactionId": "bank-1",
         *       "status": "booked",
         *       "creditDebitIndicator": "credit",
         *       "amount": "125.00",
         *       "currency": "GBP",
         *       "bookingDateTime": "2026-11-24T10:00:00Z",
         *       "valueDateTime": null,
         *       "reference": "INV-2024-0042",
         *       "description": "J SMITH INV-2024-0042 FP 24/11/26 1000",
         *       "endToEndId": "E2E-1",
         *       "counterparty": {
         *         "name": "J Smith"
         *       },
         *       "merchant": null,
         *       "category": null,
         *       "receivedAt": "2026-11-24T10:00:01.123Z",
         *       "supersedes": null,
         *       "supersededBy": null,
         *       "reconciliation": {
         *         "status": "matched",
         *         "paymentIds": [
         *           "pay_01JD3Z6Q5W8K4M2N7P9R1S3T5V"
         *         ],
         *         "exceptionId": null,
         *         "matchedBy": "reference",
         *         "keys": [
         *           "FP2611240412345678",
         *           "ST7KQ2M9XR4",
         *           "JSMITHST7KQ2M9XR4"
         *         ],
         *         "candidatePaymentIds": [
         *           "pay_01JD3Z6Q5W8K4M2N7P9R1S3T5V"
         *         ]
         *       }
         *     }
         */
        Transaction: {
            id: components["schemas"]["TransactionId"];
            accountId: components["schemas"]["AccountId"];
            /** @description The bank's own id; one transaction per account and bank id. */
            bankTransactionId: string;
            status: components["schemas"]["TransactionStatus"];
            /** @enum {string} */
            creditDebitIndicator: "credit" | "debit";
            /** @description Unsigned; `creditDebitIndicator` gives the direction. */
            amount: components["schemas"]["Amount"];
            currency: components["schemas"]["Currency"];
            /**
             * Format: date-time
             * @description As the bank reported it.
             */
            bookingDateTime: string;
            /** Format: date-time */
            valueDateTime: string | null;
            /** @description As the bank reported it (banks often mangle references). */
            reference: string | null;
            /** @description The bank's narrative. */
            description: string | null;
            endToEndId: string | null;
            counterparty: {
                name?: string;
                sortCode?: string;
                accountNumber?: string;
            } | null;
            merchant: {
                name?: string;
                /** @example 5411 */
                categoryCode?: string;
            } | null;
            /**
             * @description Readable: the bank's own, else named from the merchant category code (ISO 18245) or the bank transaction
             *     code (ISO 20022 domain / family / sub-family), from maintained lists.
             * @example Grocery Stores, Supermarkets
             * @example Payments / Received Credit Transfers / Domestic Credit Transfer
             */
            category: string | null;
            bankTransactionCode?: components["schemas"]["BankTransactionCode"] | null;
            receivedAt: components["schemas"]["Timestamp"];
            /** @description On a booked transaction, the pending one it replaces (same `endToEndId`, new bank id). */
            supersedes: components["schemas"]["TransactionId"] | null;
            /** @description On a pending transaction, the booked one that replaced it; it then no longer counts as pending. */
            supersededBy: components["schemas"]["TransactionId"] | null;
            reconciliation: {
                status: components["schemas"]["ReconciliationStatus"];
                /** @description The payment it settled (`matched`), or is expected to settle once booked (`pending`). */
                paymentIds: components["schemas"]["PaymentId"][];
                /** @description The reconciliation exception this transaction opened (`unmatched`, `ambiguous`, `amount_mismatch`, `duplicate_payment`, `returned`); null when it opened none. */
                exceptionId: components["schemas"]["ExceptionId"] | null;
                /** @enum {string|null} */
                matchedBy: "reference" | "manual" | null;
                /** @description The normalised keys looked up for this transaction (its reference field, then tokens of the reference and narrative), most specific first. */
                keys: string[];
                /** @description The open payments the reference lookup found (for `needs_review`, the ones it could not choose between). */
                candidatePaymentIds: components["schemas"]["PaymentId"][];
            };
        };
        TransactionList: {
            data: components["schemas"]["Transaction"][];
            nextCursor: components["schemas"]["NextCursor"];
        };
        AccessLogEntry: {
            at: components["schemas"]["Timestamp"];
            /** @example GET /v1/accounts/acc_01JD3Z6Q5W8K4M2N7P9R1S3T5V/transactions */
            endpoint: string;
            /** @example transactions */
            scope: string;
            /** @description Items returned. */
            count: number;
            requestId: string;
        };
        AccessLogList: {
            data: components["schemas"]["AccessLogEntry"][];
            nextCursor: components["schemas"]["NextCursor"];
        };
        CashPosition: {
            accountId: components["schemas"]["AccountId"];
            currency: components["schemas"]["Currency"];
            settledBalance: components["schemas"]["SignedAmount"];
            pendingInbound: components["schemas"]["Amount"];
            pendingOutbound: components["schemas"]["Amount"];
            projectedBalance: components["schemas"]["SignedAmount"];
            asOf: components["schemas"]["Timestamp"];
        };
        /**
         * @description See "Payment status model" above.
         * @enum {string}
         */
        PaymentStatus: "authorisation_required" | "authorised" | "executed" | "settled" | "partially_settled" | "failed" | "expired" | "returned";
        /** @description Present once a booked transaction has settled (part of) the payment; null before. */
        Settlement: {
            /** @description Received (inbound) or paid out (outbound) so far; may exceed the amount. */
            amountSettled: components["schemas"]["Amount"];
            /** @description How much more than the amount was received; never written off. */
            overpaidBy: components["schemas"]["Amount"];
            /** @description When the latest settling transaction was reconciled. */
            settledAt: components["schemas"]["Timestamp"];
            transactionIds: components["schemas"]["TransactionId"][];
            /** @enum {string} */
            matchedBy: "reference" | "manual";
        };
        BankChoice: {
            /** @description One of `GET /v1/aspsps`. */
            aspspId: string;
        };
        /**
         * @example {
         *       "accountId": "acc_01JD3Z6Q5W8K4M2N7P9R1S3T5V",
         *       "direction": "inbound",
         *       "amount": "125.00",
         *       "currency": "GBP",
         *       "reference": "INV-2024-0042",
         *       "invoiceId": "INV-2024-0042",
         *       "metadata": {
         *         "orderId": "1234"
         *       }
         *     }
         */
        CreatePaymentRequest: {
            accountId: string;
            /** @enum {string} */
            direction: "inbound" | "outbound";
            /** @description Greater than zero, at most the currency's decimals; a JSON number answers 400. */
            amount: components["schemas"]["Amount"];
            /** @description Must be the account's currency. */
            currency: components["schemas"]["Currency"];
            /**
             * @description 1–18 characters from A–Z a–z 0–9, space and `/ - ? : ( ) . , ' + &`, not starting or ending with a space,
             *     with at least one letter or digit. A broken rule answers 400 naming it (and the offending character's
             *     position). Omit it to have one generated.
             */
            reference?: string;
            invoiceId?: string;
            /**
             * Format: uri
             * @description Where the payer (inbound) or the tenant (outbound) is sent back to once the bank's pages are done (with
             *     `?paymentId=…&status=…`). Without it Settled shows its own page.
             */
            redirectUrl?: string;
            /** @description Required, with `sortCode` and `accountNumber`, for outbound payments. */
            counterparty?: components["schemas"]["Counterparty"];
            confirmationOfPayee?: components["schemas"]["ConfirmationOfPayee"];
            metadata?: {
                [key: string]: string;
            };
        };
        /**
         * @example {
         *       "id": "pay_01JD3Z6Q5W8K4M2N7P9R1S3T5V",
         *       "status": "settled",
         *       "direction": "inbound",
         *       "amount": "125.00",
         *       "currency": "GBP",
         *       "reference": "INV-2024-0042",
         *       "invoiceId": "INV-2024-0042",
         *       "accountId": "acc_01JD3Z6Q5W8K4M2N7P9R1S3T5V",
         *       "counterparty": null,
         *       "metadata": {},
         *       "authorisationUrl": "http://127.0.0.1:3000/sandbox/authorisations/sbp_3f9a1c2b4d5e6f708192a3b4",
         *       "redirectUrl": null,
         *       "failureReason": null,
         *       "createdAt": "2026-11-24T09:59:00.000Z",
         *       "updatedAt": "2026-11-24T10:00:01.123Z",
         *       "authorisedAt": "2026-11-24T09:59:29.000Z",
         *       "executedAt": "2026-11-24T09:59:30.000Z",
         *       "settlement": {
         *         "amountSettled": "125.00",
         *         "overpaidBy": "0.00",
         *         "settledAt": "2026-11-24T10:00:01.123Z",
         *         "transactionIds": [
         *           "txn_01JD3Z6Q5W8K4M2N7P9R1S3T5V"
         *         ],
         *         "matchedBy": "reference"
         *       }
         *     }
         */
        Payment: {
            id: components["schemas"]["PaymentId"];
            status: components["schemas"]["PaymentStatus"];
            /** @enum {string} */
            direction: "inbound" | "outbound";
            amount: components["schemas"]["Amount"];
            currency: components["schemas"]["Currency"];
            /** @description The tenant's reference, or the generated one. */
            reference: string;
            invoiceId: string | null;
            accountId: components["schemas"]["AccountId"];
            counterparty: components["schemas"]["PaymentCounterparty"] | null;
            metadata: {
                [key: string]: string;
            };
            /**
             * Format: uri
             * @description Null only for a payment Confirmation of Payee stopped before it was sent (nothing to authorise).
             *     The bank's page for the payer (inbound) or the tenant (outbound); for the sandbox bank,
             *     `/sandbox/authorisations/{bankPaymentId}`. For an inbound payment to an Open Banking account it is
             *     Settled's hosted bank-choice page `/checkout/{bankPaymentId}`, where the payer picks their own bank.
             */
            authorisationUrl: string | null;
            /**
             * Format: uri
             * @description Where the payer (or the tenant) is sent after the bank's pages; null shows Settled's own page.
             */
            redirectUrl: string | null;
            /** @description The payment link it was made through; absent on every other payment. */
            linkId?: components["schemas"]["PaymentLinkId"];
            /** @description With `failed`: the bank's reason, `rejected_by_bank`, or `payee_name_mismatch` (Confirmation of Payee stopped it before it was sent). */
            failureReason: string | null;
            createdAt: components["schemas"]["Timestamp"];
            updatedAt: components["schemas"]["Timestamp"];
            /**
             * Format: date-time
             * @description When the payment first became `authorised` (the bank's time of that status; for a payment under a mandate,
             *     its creation). Absent until then, and absent for good when the bank's next news (executed, or the booked
             *     money) came before any authorised status. Never sent as null.
             */
            authorisedAt?: string;
            /**
             * Format: date-time
             * @description When the bank reported it executed.
             */
            executedAt: string | null;
            settlement: components["schemas"]["Settlement"] | null;
            /** @description A refund only (POST /v1/payments/{id}/refunds) - the inbound payment whose money it sends back. */
            refundOf?: components["schemas"]["PaymentId"];
            /** @description Present on a payment taken under a mandate (`POST /v1/mandates/{mandateId}/payments`). */
            mandateId?: components["schemas"]["MandateId"];
            /** @description The bulk payout this payment is an item of (only then present). */
            payoutId?: components["schemas"]["PayoutId"];
            /**
             * @description `GET /v1/payments/{id}` of an inbound payment that has been refunded: what its refunds take from what it
             *     settled (refunds that failed or expired give theirs back). Not in lists or events.
             */
            refunded?: components["schemas"]["Amount"];
        };
        MandateId: string;
        /** @enum {string} */
        MandateStatus: "authorisation_required" | "active" | "rejected" | "revoked" | "expired";
        MandateLimits: {
            maxPerPayment: components["schemas"]["Amount"];
            periods: {
                /** @enum {string} */
                period: "day" | "week" | "fortnight" | "month" | "half-year" | "year";
                maxAmount: components["schemas"]["Amount"];
                /**
                 * @description A fortnight has only `consent`.
                 * @enum {string}
                 */
                alignment: "consent" | "calendar";
            }[];
        };
        /**
         * @example {
         *       "accountId": "acc_01JD3Z6Q5W8K4M2N7P9R1S3T5V",
         *       "type": "sweeping",
         *       "currency": "GBP",
         *       "reference": "SAVINGS SWEEP",
         *       "limits": {
         *         "maxPerPayment": "100.00",
         *         "periods": [
         *           {
         *             "period": "month",
         *             "maxAmount": "300.00",
         *             "alignment": "calendar"
         *           }
         *         ]
         *       }
         *     }
         */
        CreateMandateRequest: {
            accountId: components["schemas"]["AccountId"];
            /** @enum {string} */
            type: "sweeping" | "commercial";
            currency: components["schemas"]["Currency"];
            /** @description Names the mandate at the payer's bank. */
            reference?: string;
            counterparty?: components["schemas"]["Counterparty"];
            limits: components["schemas"]["MandateLimits"];
            /** Format: date-time */
            validFrom?: string;
            /** Format: date-time */
            validTo?: string;
        };
        /**
         * @example {
         *       "amount": "100.00",
         *       "invoiceId": "INV-2026-0042"
         *     }
         */
        CreateMandatePaymentRequest: {
            amount: components["schemas"]["Amount"];
            reference?: string;
            invoiceId?: string;
        };
        /**
         * @example {
         *       "id": "man_01JD3Z6Q5W8K4M2N7P9R1S3T5V",
         *       "status": "active",
         *       "type": "sweeping",
         *       "accountId": "acc_01JD3Z6Q5W8K4M2N7P9R1S3T5V",
         *       "currency": "GBP",
         *       "reference": "SAVINGS SWEEP",
         *       "counterparty": null,
         *       "limits": {
         *         "maxPerPayment": "100.00",
         *         "periods": [
         *           {
         *             "period": "month",
         *             "maxAmount": "300.00",
         *             "alignment": "calendar"
         *           }
         *         ]
         *       },
         *       "validFrom": null,
         *       "validTo": null,
         *       "authorisationUrl": "https://api.settled.example/sandbox/authorisations/sbm_3f9a1c2b4d5e6f708192a3b4",
         *       "usage": [
         *         {
         *           "period": "month",
         *           "alignment": "calendar",
         *           "maxAmount": "300.00",
         *           "windowStart": "2026-11-01T00:00:00.000Z",
         *           "windowEnd": "2026-12-01T00:00:00.000Z",
         *           "used": "200.00",
         *           "remaining": "100.00"
         *         }
         *       ],
         *       "createdAt": "2026-11-24T10:00:00.000Z",
         *       "updatedAt": "2026-11-24T10:01:00.000Z",
         *       "activatedAt": "2026-11-24T10:01:00.000Z",
         *       "revokedAt": null
         *     }
         */
        Mandate: {
            id: components["schemas"]["MandateId"];
            status: components["schemas"]["MandateStatus"];
            /** @enum {string} */
            type: "sweeping" | "commercial";
            accountId: components["schemas"]["AccountId"];
            currency: components["schemas"]["Currency"];
            reference: string | null;
            counterparty: components["schemas"]["Counterparty"] | null;
            limits: components["schemas"]["MandateLimits"];
            /** Format: date-time */
            validFrom: string | null;
            /** Format: date-time */
            validTo: string | null;
            /**
             * Format: uri
             * @description The payer's bank page to authorise the mandate once (sandbox `/sandbox/authorisations/sbm_…`).
             */
            authorisationUrl: string;
            /** @description Per periodic limit, its current window and what is used of it. */
            usage: {
                /** @enum {string} */
                period: "day" | "week" | "fortnight" | "month" | "half-year" | "year";
                /** @enum {string} */
                alignment: "consent" | "calendar";
                maxAmount: components["schemas"]["Amount"];
                /**
                 * Format: date-time
                 * @description Inclusive.
                 */
                windowStart: string;
                /**
                 * Format: date-time
                 * @description Exclusive.
                 */
                windowEnd: string;
                used: components["schemas"]["Amount"];
                remaining: components["schemas"]["Amount"];
            }[];
            createdAt: components["schemas"]["Timestamp"];
            updatedAt: components["schemas"]["Timestamp"];
            /** Format: date-time */
            activatedAt: string | null;
            /** Format: date-time */
            revokedAt: string | null;
        };
        MandateList: {
            data: components["schemas"]["Mandate"][];
            nextCursor: string | null;
        };
        PaymentLinkId: string;
        /**
         * @example {
         *       "accountId": "acc_01JD3Z6Q5W8K4M2N7P9R1S3T5V",
         *       "amount": "1234.56",
         *       "currency": "GBP",
         *       "reference": "INV-2024-0042",
         *       "invoiceId": "INV-2024-0042",
         *       "expiresAt": "2026-12-24T00:00:00.000Z",
         *       "singleUse": true,
         *       "redirectUrl": "https://shop.example.com/thanks"
         *     }
         */
        CreatePaymentLinkRequest: {
            accountId: string;
            /** @description Greater than zero, at most the currency's decimals; a JSON number answers 400. */
            amount: components["schemas"]["Amount"];
            /** @description Must be the account's currency. */
            currency: components["schemas"]["Currency"];
            /**
             * @description The payment rules (1–18 characters from A–Z a–z 0–9, space and `/ - ? : ( ) . , ' + &`, no leading or
             *     trailing space, a letter or digit); at most 13 for a multi-use link. Omit it to have one generated.
             */
            reference?: string;
            invoiceId?: string;
            /**
             * Format: date-time
             * @description In the future; from then on the link takes no payment.
             */
            expiresAt?: string;
            /** @default true */
            singleUse: boolean;
            /**
             * Format: uri
             * @description https (http only on a loopback host). Where the payer is sent back to after the bank's pages, with `?paymentId=…&status=…`.
             */
            redirectUrl?: string;
        };
        /**
         * @example {
         *       "id": "lnk_01JD3Z6Q5W8K4M2N7P9R1S3T5V",
         *       "url": "http://127.0.0.1:3000/links/lnk_01JD3Z6Q5W8K4M2N7P9R1S3T5V",
         *       "status": "completed",
         *       "accountId": "acc_01JD3Z6Q5W8K4M2N7P9R1S3T5V",
         *       "amount": "1234.56",
         *       "currency": "GBP",
         *       "reference": "INV-2024-0042",
         *       "invoiceId": "INV-2024-0042",
         *       "singleUse": true,
         *       "expiresAt": "2026-12-24T00:00:00.000Z",
         *       "redirectUrl": "https://shop.example.com/thanks",
         *       "payments": [
         *         "pay_01JD3Z6Q5W8K4M2N7P9R1S3T5V"
         *       ],
         *       "completedAt": "2026-11-24T10:00:02.000Z",
         *       "createdAt": "2026-11-24T09:58:00.000Z"
         *     }
         */
        PaymentLink: {
            id: components["schemas"]["PaymentLinkId"];
            /**
             * Format: uri
             * @description The hosted page for the payer: `GET /links/{id}`.
             */
            url: string;
            /**
             * @description `completed`: a single-use link whose payment settled. `expired`: past `expiresAt` without that (read
             *     against the clock on every read and use). Otherwise `active`.
             * @enum {string}
             */
            status: "active" | "completed" | "expired";
            accountId: components["schemas"]["AccountId"];
            amount: components["schemas"]["Amount"];
            currency: components["schemas"]["Currency"];
            /** @description The link's reference (multi-use payments add `-` and 4 characters). */
            reference: string;
            invoiceId: string | null;
            singleUse: boolean;
            /** Format: date-time */
            expiresAt: string | null;
            /** Format: uri */
            redirectUrl: string | null;
            /** @description Every payment made through the link, oldest first. */
            payments: components["schemas"]["PaymentId"][];
            /** Format: date-time */
            completedAt: string | null;
            createdAt: components["schemas"]["Timestamp"];
        };
        PaymentLinkList: {
            data: components["schemas"]["PaymentLink"][];
            nextCursor: components["schemas"]["NextCursor"];
        };
        PaymentList: {
            data: components["schemas"]["Payment"][];
            nextCursor: components["schemas"]["NextCursor"];
        };
        /**
         * @description `processing` once authorised (its items handed to the bank in chunks); `completed` when every item settled,
         *     `completed_with_failures` when every item settled or failed and some failed; `rejected` when the tenant
         *     rejected the authorisation (its items fail with `rejected_by_payer`).
         * @enum {string}
         */
        PayoutStatus: "authorisation_required" | "processing" | "completed" | "completed_with_failures" | "rejected";
        PayoutItemRequest: {
            amount: components["schemas"]["Amount"];
            /** @description Generated when absent (`SP…`). */
            reference?: string;
            /** @description The tenant's id of the item; unique in the batch. */
            externalId?: string;
            counterparty: {
                name: components["schemas"]["PersonName"];
                sortCode: components["schemas"]["SortCode"];
                accountNumber: components["schemas"]["AccountNumber"];
            };
        };
        /**
         * @example {
         *       "accountId": "acc_01JD3Z6Q5W8K4M2N7P9R1S3T5V",
         *       "currency": "GBP",
         *       "items": [
         *         {
         *           "amount": "1250.00",
         *           "externalId": "payroll-2026-11-0001",
         *           "counterparty": {
         *             "name": "Jordan Example",
         *             "sortCode": "040004",
         *             "accountNumber": "12349999"
         *           }
         *         },
         *         {
         *           "amount": "980.40",
         *           "reference": "WAGES NOV 0002",
         *           "externalId": "payroll-2026-11-0002",
         *           "counterparty": {
         *             "name": "Sam Smith",
         *             "sortCode": "200000",
         *             "accountNumber": "55779911"
         *           }
         *         }
         *       ]
         *     }
         */
        CreatePayoutRequest: {
            accountId: components["schemas"]["AccountId"];
            currency: components["schemas"]["Currency"];
            items: components["schemas"]["PayoutItemRequest"][];
            /**
             * @description What a payee name mismatch does to an item; `stop` (the default) fails it before it leaves.
             * @enum {string}
             */
            confirmationOfPayee?: "stop" | "proceed_on_mismatch";
        };
        /**
         * @description Items currently in each state (they add up to `total`). Once the payout is completed, `settled` + `failed`
         *     (+ `returned`, for money a bank sent back) = `total`.
         */
        PayoutCounts: {
            total: number;
            /** @description Awaiting the authorisation or the bank's first report. */
            pending: number;
            authorised: number;
            executed: number;
            settled: number;
            failed: number;
            returned: number;
        };
        PayoutTotals: {
            amount: components["schemas"]["Amount"];
            settled: components["schemas"]["Amount"];
            failed: components["schemas"]["Amount"];
        };
        /**
         * @example {
         *       "id": "bat_5KQ2M9XR4T7W1B3C8D6E0F2G4H",
         *       "status": "completed_with_failures",
         *       "accountId": "acc_01JD3Z6Q5W8K4M2N7P9R1S3T5V",
         *       "currency": "GBP",
         *       "authorisationUrl": "http://127.0.0.1:3000/sandbox/authorisations/sbb_5KQ2M9XR4T7W1B3C8D6E0F2G4H",
         *       "counts": {
         *         "total": 500,
         *         "pending": 0,
         *         "authorised": 0,
         *         "executed": 0,
         *         "settled": 497,
         *         "failed": 3,
         *         "returned": 0
         *       },
         *       "totals": {
         *         "amount": "612500.00",
         *         "settled": "608820.00",
         *         "failed": "3680.00"
         *       },
         *       "createdAt": "2026-11-24T09:00:00.000Z",
         *       "authorisedAt": "2026-11-24T09:02:10.000Z",
         *       "completedAt": "2026-11-24T09:03:41.000Z"
         *     }
         */
        Payout: {
            id: components["schemas"]["PayoutId"];
            status: components["schemas"]["PayoutStatus"];
            accountId: components["schemas"]["AccountId"];
            currency: components["schemas"]["Currency"];
            /**
             * Format: uri
             * @description Where the tenant authorises the batch: the sandbox bank's one page for it, or for an account at an Open
             *     Banking bank Settled's page (`/payout-authorisations/{bankBatchId}`) that takes them through the bank's
             *     page for each file.
             * @example http://127.0.0.1:3000/sandbox/authorisations/sbb_5KQ2M9XR4T7W1B3C8D6E0F2G4H
             */
            authorisationUrl: string;
            counts: components["schemas"]["PayoutCounts"];
            totals: components["schemas"]["PayoutTotals"];
            createdAt: components["schemas"]["Timestamp"];
            authorisedAt: components["schemas"]["Timestamp"] | null;
            completedAt: components["schemas"]["Timestamp"] | null;
        };
        /** @description The payout (as `Payout`) with one entry per item, in the request's order. */
        CreatedPayout: {
            id: components["schemas"]["PayoutId"];
            status: components["schemas"]["PayoutStatus"];
            accountId: components["schemas"]["AccountId"];
            currency: components["schemas"]["Currency"];
            /** Format: uri */
            authorisationUrl: string;
            counts: components["schemas"]["PayoutCounts"];
            totals: components["schemas"]["PayoutTotals"];
            createdAt: components["schemas"]["Timestamp"];
            authorisedAt: components["schemas"]["Timestamp"] | null;
            completedAt: components["schemas"]["Timestamp"] | null;
            payments: {
                id: components["schemas"]["PaymentId"];
                externalId: string | null;
                reference: string;
                status: components["schemas"]["PaymentStatus"];
                /** @description `payee_name_mismatch` for an item stopped by Confirmation of Payee. */
                failureReason: string | null;
            }[];
        };
        PayoutList: {
            data: components["schemas"]["Payout"][];
            nextCursor: components["schemas"]["NextCursor"];
        };
        /** @enum {string} */
        ExceptionType: "unmatched" | "ambiguous" | "amount_mismatch" | "duplicate_payment" | "returned";
        ReconciliationException: {
            id: string;
            type: components["schemas"]["ExceptionType"];
            /** @enum {string} */
            status: "open" | "resolved";
            /** @description Why, in words a finance team reads. */
            reason: string;
            accountId: string;
            transactionId: string;
            bankTransactionId: string;
            /** @enum {string} */
            creditDebitIndicator: "credit" | "debit";
            amount: components["schemas"]["Amount"];
            currency: components["schemas"]["Currency"];
            candidatePaymentIds: string[];
            resolution: null | {
                /** @enum {string} */
                action: "match" | "refund" | "dismiss";
                /** @description Who resolved it: the id of the API key that asked (never the key). */
                by: string;
                /**
                 * Format: date-time
                 * @description When it was resolved.
                 */
                at: string;
                /** @description match: the payments the money was applied to, in order; otherwise empty. */
                paymentIds: string[];
                /** @description dismiss: why. */
                note: string | null;
                /** @description refund: the outbound payment sending the money back. */
                refundPaymentId: string | null;
                /**
                 * Format: date-time
                 * @description The same as `at` (its first name, kept for existing clients).
                 */
                resolvedAt: string;
            };
            /** Format: date-time */
            createdAt: string;
        };
        ReconciliationExceptionList: {
            data: components["schemas"]["ReconciliationException"][];
            nextCursor: components["schemas"]["NextCursor"];
        };
        ResolveExceptionRequest: {
            /** @constant */
            action: "match";
            paymentIds: string[];
        } | {
            /** @constant */
            action: "dismiss";
            note: string;
        } | {
            /** @constant */
            action: "refund";
            confirmationOfPayee?: components["schemas"]["ConfirmationOfPayee"];
        };
        ReportCountAndAmount: {
            count: number;
            amount: components["schemas"]["Amount"];
        };
        /** @description One direction's transactions booked in the period, by how they reconciled. */
        ReportDirectionTotals: {
            matched: components["schemas"]["ReportCountAndAmount"];
            unmatched: components["schemas"]["ReportCountAndAmount"];
            needsReview: components["schemas"]["ReportCountAndAmount"];
            returned: components["schemas"]["ReportCountAndAmount"];
            pending: components["schemas"]["ReportCountAndAmount"];
            totalBooked: components["schemas"]["ReportCountAndAmount"];
        };
        ReportOpenResolved: {
            open: number;
            resolved: number;
        };
        /** @description Executed→settled, in milliseconds (nearest-rank percentiles); null when nothing settled. */
        ReportLatency: {
            count: number;
            p50Ms: number | null;
            p90Ms: number | null;
            p99Ms: number | null;
            /**
             * @description The same latencies in fixed buckets, for charting the distribution: each counts the settlements above the
             *     previous bucket's `upToMs` and at most its own; the last (`upToMs: null`) those beyond a day (86400000).
             *     Bounds 1000, 5000, 30000, 60000, 300000, 900000, 3600000, 14400000, 86400000, then null, always in that
             *     order and all present (zero counts included), so the counts add up to `count`. Always sent.
             */
            histogram?: {
                upToMs: number | null;
                count: number;
            }[];
        };
        ReconciliationReportAccount: {
            accountId: string;
            accountName: string;
            currency: components["schemas"]["Currency"];
            moneyIn: components["schemas"]["ReportDirectionTotals"];
            moneyOut: components["schemas"]["ReportDirectionTotals"];
            net: components["schemas"]["SignedAmount"];
            payments: {
                settledInPeriod: {
                    inbound: components["schemas"]["ReportCountAndAmount"];
                    outbound: components["schemas"]["ReportCountAndAmount"];
                };
                /** @description Created by the period's end and still open; the amount is what they still owe. */
                open: {
                    inbound: components["schemas"]["ReportCountAndAmount"];
                    outbound: components["schemas"]["ReportCountAndAmount"];
                };
            };
            /** @description Exceptions opened in the period, by their status now. */
            exceptions: {
                open: number;
                resolved: number;
                byType: {
                    [key: string]: components["schemas"]["ReportOpenResolved"];
                };
                /** @description Age at `asOf` (under 1 day, 1–7 days, 7–30 days, 30 days or more). */
                byAge: {
                    [key: string]: components["schemas"]["ReportOpenResolved"];
                };
            };
            /**
             * @description The open backlog: exceptions opened by the period's end, however long ago, and still open now (as
             *     `payments.open`), by type and by age at `asOf`.
             */
            openExceptions: {
                count: number;
                byType: {
                    [key: string]: number;
                };
                byAge: {
                    [key: string]: number;
                };
            };
            settlementLatency: components["schemas"]["ReportLatency"];
        };
        ReconciliationReport: {
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            accountId: string | null;
            /**
             * Format: date-time
             * @description Where exception ages are measured: `to`, or now if earlier.
             */
            asOf: string;
            /** @description One entry per account and currency, by account id then currency. */
            accounts: components["schemas"]["ReconciliationReportAccount"][];
            /** @description Across every account and currency of the report. */
            settlementLatency: components["schemas"]["ReportLatency"];
        };
        /**
         * @description `payment_link.completed`: a single-use payment link's payment settled (once per link; data is the link).
         *     Every type can be subscribed to. `statement.imported`: a statement import completed (its counts final). Emitted today: the `payment.*` types, `transaction.received`,
         *     `reconciliation.exception_opened`, `reconciliation.exception_resolved`, `cash_position.updated` and
         *     `consent.reconfirmation_required` (once per consent and 90-day period, on the first retrieval refused for it),
         *     and `payout.completed` (once per payout, when every item is settled or failed).
         * @enum {string}
         */
        EventType: "payment.authorised" | "payment.executed" | "payment.settled" | "payment.partially_settled" | "payment.failed" | "payment.returned" | "payout.completed" | "mandate.activated" | "mandate.revoked" | "transaction.received" | "reconciliation.exception_opened" | "reconciliation.exception_resolved" | "cash_position.updated" | "consent.reconfirmation_required" | "payment_link.completed" | "statement.imported";
        CreateWebhookEndpointRequest: {
            /**
             * Format: uri
             * @example https://example.com/settled/webhooks
             */
            url: string;
            /** @description The types to receive (duplicates are dropped); omit it to receive all, an empty list answers 400. */
            events?: components["schemas"]["EventType"][];
        };
        WebhookEndpoint: {
            id: components["schemas"]["WebhookEndpointId"];
            /** Format: uri */
            url: string;
            /** @description null when it receives every type. */
            events: components["schemas"]["EventType"][] | null;
            /**
             * @description Disabled when it answered 410.
             * @enum {string}
             */
            status: "enabled" | "disabled";
            disabledReason: string | null;
            createdAt: components["schemas"]["Timestamp"];
        };
        /** @description The endpoint and, this once, its signing secret. */
        CreatedWebhookEndpoint: {
            id: components["schemas"]["WebhookEndpointId"];
            /** Format: uri */
            url: string;
            /** @description null when it receives every type. */
            events: components["schemas"]["EventType"][] | null;
            /** @enum {string} */
            status: "enabled" | "disabled";
            disabledReason: string | null;
            createdAt: components["schemas"]["Timestamp"];
            /** @description The Standard Webhooks signing secret, shown this once. */
            secret: string;
        };
        RedeliverEventRequest: {
            eventId: components["schemas"]["EventId"];
        };
        /** @description A redelivery accepted and on the delivery queue. */
        Redelivery: {
            id: string;
            endpointId: components["schemas"]["WebhookEndpointId"];
            eventId: components["schemas"]["EventId"];
            /**
             * @description Queued for delivery; the endpoint has not necessarily answered yet.
             * @constant
             */
            status: "queued";
            createdAt: components["schemas"]["Timestamp"];
        };
        WebhookEndpointList: {
            data: components["schemas"]["WebhookEndpoint"][];
            nextCursor: components["schemas"]["NextCursor"];
        };
        /**
         * @description The body a tenant endpoint receives, and an entry of `GET /v1/events`: `data` is the resource the event is
         *     about, as its GET returns it: the payment for `payment.*`, the transaction for `transaction.received`, the
         *     exception for `reconciliation.exception_opened` and `reconciliation.exception_resolved`, the position for `cash_position.updated`, and the account (with its consent) for `consent.reconfirmation_required`, the link for `payment_link.completed`, the mandate for `mandate.*`. `type` tells
         *     the variants apart (each variant allows only its own types, so exactly one matches).
         * @example {
         *       "id": "evt_3F9A1C2B4D5E6F708192A3B4C5",
         *       "type": "cash_position.updated",
         *       "createdAt": "2026-11-24T10:00:01.123Z",
         *       "data": {
         *         "accountId": "acc_01JD3Z6Q5W8K4M2N7P9R1S3T5V",
         *         "currency": "GBP",
         *         "settledBalance": "1125.00",
         *         "pendingInbound": "0.00",
         *         "pendingOutbound": "0.00",
         *         "projectedBalance": "1125.00",
         *         "asOf": "2026-11-24T10:00:01.123Z"
         *       }
         *     }
         */
        Event: components["schemas"]["PaymentEvent"] | components["schemas"]["TransactionReceivedEvent"] | components["schemas"]["ExceptionEvent"] | components["schemas"]["CashPositionUpdatedEvent"] | components["schemas"]["ConsentReconfirmationRequiredEvent"] | components["schemas"]["StatementImportedEvent"] | components["schemas"]["PaymentLinkCompletedEvent"] | components["schemas"]["MandateEvent"] | components["schemas"]["PayoutCompletedEvent"];
        /** @description Derived from what happened, so the same fact always has the same id (and `webhook-id`). */
        EventIdentity: components["schemas"]["EventId"];
        PaymentEvent: {
            id: components["schemas"]["EventIdentity"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "payment.authorised" | "payment.executed" | "payment.settled" | "payment.partially_settled" | "payment.failed" | "payment.returned";
            createdAt: components["schemas"]["Timestamp"];
            data: components["schemas"]["Payment"];
        };
        /** @description Once per payout, when every item is settled or failed; `data` is the payout with its final counts. */
        PayoutCompletedEvent: {
            id: components["schemas"]["EventIdentity"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "payout.completed";
            createdAt: components["schemas"]["Timestamp"];
            data: components["schemas"]["Payout"];
        };
        MandateEvent: {
            id: components["schemas"]["EventIdentity"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "mandate.activated" | "mandate.revoked";
            createdAt: components["schemas"]["Timestamp"];
            data: components["schemas"]["Mandate"];
        };
        TransactionReceivedEvent: {
            id: components["schemas"]["EventIdentity"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "transaction.received";
            createdAt: components["schemas"]["Timestamp"];
            data: components["schemas"]["Transaction"];
        };
        ExceptionEvent: {
            id: components["schemas"]["EventIdentity"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "reconciliation.exception_opened" | "reconciliation.exception_resolved";
            createdAt: components["schemas"]["Timestamp"];
            data: components["schemas"]["ReconciliationException"];
        };
        CashPositionUpdatedEvent: {
            id: components["schemas"]["EventIdentity"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "cash_position.updated";
            createdAt: components["schemas"]["Timestamp"];
            data: components["schemas"]["CashPosition"];
        };
        ConsentReconfirmationRequiredEvent: {
            id: components["schemas"]["EventIdentity"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "consent.reconfirmation_required";
            createdAt: components["schemas"]["Timestamp"];
            data: components["schemas"]["Account"];
        };
        PaymentLinkCompletedEvent: {
            id: components["schemas"]["EventIdentity"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "payment_link.completed";
            createdAt: components["schemas"]["Timestamp"];
            data: components["schemas"]["PaymentLink"];
        };
        StatementImport: {
            /** @example imp_01JD3Z6Q5W8K4M2N7P9R1S3T5V */
            id: string;
            accountId: components["schemas"]["AccountId"];
            /** @enum {string} */
            format: "camt" | "csv";
            /** @description The CSV mapping it was read with. */
            mappingId: string | null;
            /**
             * @description `completed` once every transaction of the file is stored or found already stored.
             * @enum {string}
             */
            status: "processing" | "completed" | "failed";
            /** @description Once completed, `entries` = `stored` + `duplicates` + `rejected`. */
            counts: {
                /** @description Transactions and rejected entries the file holds. */
                entries: number;
                /** @description New transactions stored by this import. */
                stored: number;
                /** @description Transactions already stored: by an earlier import or from the bank's feed. */
                duplicates: number;
                /** @description Entries that are not transactions (see `errors`). */
                rejected: number;
            };
            /** @description The rejected entries (the first 100) and why. */
            errors: {
                /**
                 * @example line 14
                 * @example statement 2026-11-STMT entry 3
                 */
                entry: string;
                message: string;
            }[];
            createdAt: components["schemas"]["Timestamp"];
            completedAt: components["schemas"]["Timestamp"] | null;
        };
        /** @description The header name of each field in the export; `amount`, or both `credit` and `debit`. */
        StatementMappingColumns: {
            bookingDate: string;
            amount?: string;
            credit?: string;
            debit?: string;
            reference?: string;
            description?: string;
            counterpartyName?: string;
            balance?: string;
        };
        /**
         * @example {
         *       "name": "Lloyds Bank CSV",
         *       "columns": {
         *         "bookingDate": "Transaction Date",
         *         "debit": "Debit Amount",
         *         "credit": "Credit Amount",
         *         "description": "Transaction Description",
         *         "balance": "Balance"
         *       },
         *       "dateFormat": "dd/MM/yyyy",
         *       "decimalSeparator": "."
         *     }
         */
        StatementMappingRequest: {
            name: string;
            columns: components["schemas"]["StatementMappingColumns"];
            /** @example dd/MM/yyyy */
            dateFormat: string;
            /** @enum {string} */
            decimalSeparator: "." | ",";
            /**
             * @default credit_positive
             * @enum {string}
             */
            amountSign: "credit_positive" | "debit_positive";
            headerRow?: number;
        };
        StatementMapping: {
            /** @example map_01JD3Z6Q5W8K4M2N7P9R1S3T5V */
            id: string;
            name: string;
            columns: components["schemas"]["StatementMappingColumns"];
            dateFormat: string;
            /** @enum {string} */
            decimalSeparator: "." | ",";
            /** @enum {string} */
            amountSign: "credit_positive" | "debit_positive";
            headerRow?: number;
            createdAt: components["schemas"]["Timestamp"];
        };
        /**
         * @description ISO 20022 bank transaction code as the bank stated it: `domain` (domain, family, sub-family codes; Open
         *     Banking states no domain, so `code` is empty there) and/or the bank's `proprietary` code.
         */
        BankTransactionCode: {
            domain: {
                /** @example PMNT */
                code: string;
                /** @example RCDT */
                family: string;
                /** @example DMCT */
                subFamily: string;
            } | null;
            proprietary: {
                code: string;
                issuer: string | null;
            } | null;
        };
        StatementImportedEvent: {
            id: components["schemas"]["EventIdentity"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "statement.imported";
            createdAt: components["schemas"]["Timestamp"];
            data: components["schemas"]["StatementImport"];
        };
        EventList: {
            data: components["schemas"]["Event"][];
            nextCursor: components["schemas"]["NextCursor"];
        };
        /**
         * @description Open Banking amount: 1–13 digits, up to 5 decimals, unsigned. Decimals beyond the currency's must be zeros
         *     (`"10.00000"` is fine for GBP, `"10.001"` answers 400).
         */
        BankAmount: string;
        /** @description Unknown fields are ignored. */
        BankWebhookTransaction: {
            transactionId: string;
            status: components["schemas"]["TransactionStatus"];
            /** @enum {string} */
            creditDebitIndicator: "credit" | "debit";
            amount: components["schemas"]["BankAmount"];
            currency: components["schemas"]["Currency"];
            /** Format: date-time */
            bookingDateTime: string;
            /** Format: date-time */
            valueDateTime?: string;
            reference?: string;
            description?: string;
            endToEndId?: string;
            counterparty?: {
                name?: string;
                sortCode?: string;
                accountNumber?: string;
            };
            merchant?: {
                name?: string;
                categoryCode?: string;
            };
            category?: string;
        };
        /** @description Transactions on one bank account. Unknown fields are ignored. */
        BankTransactionsWebhook: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "transactions";
            account: {
                sortCode: components["schemas"]["SortCode"];
                accountNumber: components["schemas"]["AccountNumber"];
            };
            transactions: components["schemas"]["BankWebhookTransaction"][];
        };
        /**
         * @description The bank's status report for a payment it was asked to make. `authorised` is an extension of the v1 contract;
         *     `rejected` fails the payment with `reason` as its `failureReason`. Unknown fields are ignored.
         */
        BankPaymentStatusWebhook: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "payment_status";
            bankPaymentId: string;
            /** @enum {string} */
            status: "authorised" | "executed" | "rejected";
            /** Format: date-time */
            at: string;
            reason?: string;
        };
        /** @description A TrueLayer Payments API v3 webhook (provider `truelayer`); fields Settled does not read are kept out. */
        TrueLayerWebhook: {
            /** @example payment_executed */
            type: string;
            event_id: string;
            event_version?: number;
            /** @description Payment events: TrueLayer's payment id. */
            payment_id?: string;
            /** @description Payout events: TrueLayer's payout id. */
            payout_id?: string;
            /** Format: date-time */
            authorized_at?: string;
            /** Format: date-time */
            executed_at?: string;
            /** Format: date-time */
            settled_at?: string;
            /** Format: date-time */
            failed_at?: string;
            failure_reason?: string;
        };
        /** @description A GoCardless webhook (provider `gocardless`); fields Settled does not read are kept out. */
        GoCardlessWebhook: {
            events: {
                id: string;
                /** Format: date-time */
                created_at: string;
                /** @example payments */
                resource_type: string;
                /** @example confirmed */
                action: string;
                links?: {
                    [key: string]: string;
                };
                details?: {
                    cause?: string;
                };
            }[];
        };
        /**
         * @description The canonical bank webhook format (provider `sandbox`).
         * @example {
         *       "type": "transactions",
         *       "account": {
         *         "sortCode": "040004",
         *         "accountNumber": "12345678"
         *       },
         *       "transactions": [
         *         {
         *           "transactionId": "bank-1",
         *           "status": "booked",
         *           "creditDebitIndicator": "credit",
         *           "amount": "125.00",
         *           "currency": "GBP",
         *           "bookingDateTime": "2026-11-24T10:00:00Z",
         *           "reference": "INV-2024-0042",
         *           "counterparty": {
         *             "name": "J Smith"
         *           }
         *         }
         *       ]
         *     }
         * @example {
         *       "type": "payment_status",
         *       "bankPaymentId": "sbp_3f9a1c2b4d5e6f708192a3b4",
         *       "status": "executed",
         *       "at": "2026-11-24T09:59:30Z"
         *     }
         */
        BankWebhook: components["schemas"]["BankTransactionsWebhook"] | components["schemas"]["BankPaymentStatusWebhook"];
        SandboxDecision: {
            /** @enum {string} */
            outcome: "approve" | "reject";
        };
    };
    responses: {
        /**
         * @description An error on a hosted page: a payer's browser (a GET, or the page's form POST) gets an HTML page saying what
         *     happened and what to do next (`404` unknown link, `410` expired, `409` already decided, `400` a bad form);
         *     a program posting JSON gets the error shape.
         */
        HostedPageError: {
            headers: {
                "x-request-id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                "text/html": string;
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description `validation_failed` (a field, query parameter or cursor is invalid or unknown; `details` says which and
         *     why), `invalid_json`, `idempotency_key_required` or `body_too_large`.
         */
        BadRequest: {
            headers: {
                "x-request-id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `unauthorized`: missing or invalid credentials (unknown, malformed and revoked keys answer the same). */
        Unauthorized: {
            headers: {
                "x-request-id": components["headers"]["RequestId"];
                "www-authenticate": components["headers"]["WwwAuthenticate"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description The account's AIS consent does not allow the retrieval: `consent_revoked`, `consent_reconfirmation_required`
         *     (past `reconfirmBy`; reconfirm it), `consent_expired`, or `forbidden` (not authorised).
         */
        Forbidden: {
            headers: {
                "x-request-id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `not_found`: no such resource for this caller (another tenant's answers the same), or `route_not_found`. */
        NotFound: {
            headers: {
                "x-request-id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description `idempotency_key_in_use` (the first request with this key is still running: retry shortly),
         *     `account_not_active` (payments need an active account), `mandate_not_active` (payments under a mandate need
         *     it active and within its validity), `already_decided` (sandbox: the opposite decision
         *     was already taken) or `conflict`.
         */
        Conflict: {
            headers: {
                "x-request-id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `unsupported_media_type`: the body is not `application/json`. */
        UnsupportedMediaType: {
            headers: {
                "x-request-id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description `mandate_limit_exceeded`: the payment would go over the mandate's `maxPerPayment` or a period's maximum; the
         *     message and `details` name the limit, its maximum and what is left. Nothing was sent to the bank. Or
         *     `idempotency_key_reused`.
         */
        MandateLimitExceeded: {
            headers: {
                "x-request-id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `idempotency_key_reused`: this `Idempotency-Key` was used with a different route or body. */
        IdempotencyKeyReused: {
            headers: {
                "x-request-id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description `rate_limited`: this tenant has used its requests for the current second (`SETTLED_TENANT_RATE_LIMIT_PER_SECOND`,
         *     100 by default, counted across all tenant routes after the API key is verified). Other tenants are unaffected.
         *     Retry after `Retry-After` seconds.
         */
        TooManyRequests: {
            headers: {
                "x-request-id": components["headers"]["RequestId"];
                "retry-after": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `internal_error`: an unexpected failure, logged; the message is generic. */
        InternalError: {
            headers: {
                "x-request-id": components["headers"]["RequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: {
        /** @description Page size, 1–500. */
        Limit: number;
        /** @description The `nextCursor` of the previous page, unchanged. A cursor of another list answers 400. */
        Cursor: string;
        /**
         * @description Any unique string per intended request (a UUID is fine). See "Idempotency" above: a retry with the same key
         *     and body answers the first response again with `idempotent-replayed: true`.
         */
        IdempotencyKey: string;
        TenantId: string;
        AccountId: string;
        MandateId: string;
        EndpointId: string;
        /** @description Standard Webhooks message id; the same on every retry of the same message. */
        WebhookIdHeader: string;
        /** @description Standard Webhooks timestamp, Unix seconds. Verified within 5 minutes of the receiver's clock. */
        WebhookTimestampHeader: string;
        /**
         * @description Standard Webhooks signatures, space-separated, each `v1,` + base64 HMAC-SHA256 over
         *     `{webhook-id}.{webhook-timestamp}.{body}`. For `gocardless`: the hex HMAC-SHA256 of the raw body with the
         *     endpoint's secret.
         */
        WebhookSignatureHeader: string;
    };
    requestBodies: never;
    headers: {
        /** @description The request's id, also in the logs. */
        RequestId: string;
        /** @description `true` when this is the stored first response to the same `Idempotency-Key`; absent otherwise. */
        IdempotentReplayed: "true";
        /** @description Always `Bearer`. */
        WwwAuthenticate: "Bearer";
        /** @description Whole seconds to wait before retrying (the limit's window is one second, so this is 1). */
        RetryAfter: number;
        /** @description The hosted page's policy (no script, its one style by hash, no framing). */
        ContentSecurityPolicy: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "ok";
                    };
                };
            };
            500: components["responses"]["InternalError"];
            /** @description Local runtime only; starting up or shutting down (code `unavailable`). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The document. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    /** @description The document's entity tag. */
                    etag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        openapi: string;
                        servers: {
                            url: string;
                        }[];
                    };
                };
            };
            /** @description Not modified (the client's `If-None-Match` names the current `etag`). */
            304: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            500: components["responses"]["InternalError"];
        };
    };
    getApiReference: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    /** @description The page's CSP. */
                    "content-security-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Not modified (the client's `If-None-Match` names the current `etag`). */
            304: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            500: components["responses"]["InternalError"];
        };
    };
    getApiReferenceAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The asset's name as the page links it (e.g. `swagger-ui-bundle.<hash>.js`). */
                asset: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The asset. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/javascript": string;
                    "text/css": string;
                };
            };
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    getConsole: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    /** @description The page's CSP. */
                    "content-security-policy"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Not modified (the client's `If-None-Match` names the current `etag`). */
            304: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            500: components["responses"]["InternalError"];
        };
    };
    getConsoleAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The asset's name as the page links it (e.g. `app.<hash>.js`). */
                asset: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The asset. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/javascript": string;
                    "text/css": string;
                };
            };
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    createTenant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTenantRequest"];
            };
        };
        responses: {
            /** @description Created. `apiKey` is shown this once; only its SHA-256 is stored. */
            201: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedTenant"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["InternalError"];
        };
    };
    getTenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: components["parameters"]["TenantId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tenant. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    listAccounts: {
        parameters: {
            query?: {
                /** @description Page size, 1–500. */
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page, unchanged. A cursor of another list answers 400. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of accounts. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    connectAccount: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description Any unique string per intended request (a UUID is fine). See "Idempotency" above: a retry with the same key
                 *     and body answers the first response again with `idempotent-replayed: true`.
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConnectAccountRequest"];
            };
        };
        responses: {
            /** @description Connected, or awaiting authorisation at the bank (or, with `idempotent-replayed: true`, the first response to this key again). */
            201: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    "idempotent-replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            409: components["responses"]["Conflict"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description `unknown_aspsp` (no configured bank has that `aspspId`) or `idempotency_key_reused`. */
            422: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getAccount: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                accountId: components["parameters"]["AccountId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listAccountTransactions: {
        parameters: {
            query?: {
                /**
                 * @description Only transactions whose `bookingDateTime` is at or after this ISO 8601 timestamp (a full timestamp such
                 *     as `2026-11-01T00:00:00Z`; any offset is accepted, booking times are stored in UTC).
                 */
                from?: string;
                /** @description Only transactions whose `bookingDateTime` is at or before this ISO 8601 timestamp (inclusive). */
                to?: string;
                status?: components["schemas"]["TransactionStatus"];
                reconciliation?: components["schemas"]["ReconciliationStatus"];
                /** @description Money in (`credit`) or out (`debit`) of the account. */
                direction?: "credit" | "debit";
                /** @description Only transactions whose `reference` or `description` contains this text, ignoring case. */
                q?: string;
                /** @description Also list pending transactions that a booked transaction replaced (default `false`). */
                includeSuperseded?: "true" | "false";
                /** @description Page size, 1–500. */
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page, unchanged. A cursor of another list answers 400. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path: {
                accountId: components["parameters"]["AccountId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of transactions. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransactionList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    importStatement: {
        parameters: {
            query?: {
                /** @description The saved column mapping of a CSV export (`map_…`); required for `text/csv`, ignored for camt. */
                mapping?: string;
            };
            header: {
                /**
                 * @description Any unique string per intended request (a UUID is fine). See "Idempotency" above: a retry with the same key
                 *     and body answers the first response again with `idempotent-replayed: true`.
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
            };
            path: {
                accountId: components["parameters"]["AccountId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/xml": string;
                "text/csv": string;
            };
        };
        responses: {
            /** @description Accepted; the import runs in the background. `Location` is the import. */
            202: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    "idempotent-replayed": components["headers"]["IdempotentReplayed"];
                    /** @description The import's URL. */
                    location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatementImport"];
                };
            };
            /**
             * @description `statement_malformed` (not XML / CSV, a required element missing: the message names the line and column),
             *     `statement_unsupported` (not camt.053 / camt.054 .001.02 to .001.08), `statement_too_large`,
             *     `statement_header_not_found` / `statement_column_missing` (CSV), `mapping_required`, `mapping_not_found`,
             *     or `idempotency_key_required`. Nothing is stored.
             */
            400: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            /** @description `payload_too_large`: the body is larger than 50 MB. */
            413: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `unsupported_media_type`: the body is not `application/xml` (camt) or `text/csv`. */
            415: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `statement_account_mismatch`: the statement names another account (nothing stored); or
             *     `idempotency_key_reused`.
             */
            422: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getStatementImport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                accountId: components["parameters"]["AccountId"];
                importId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The import, its counts and per-entry errors. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatementImport"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createStatementMapping: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description Any unique string per intended request (a UUID is fine). See "Idempotency" above: a retry with the same key
                 *     and body answers the first response again with `idempotent-replayed: true`.
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StatementMappingRequest"];
            };
        };
        responses: {
            /** @description The saved mapping. */
            201: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    "idempotent-replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatementMapping"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            409: components["responses"]["Conflict"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getStatementMapping: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                mappingId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The mapping. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatementMapping"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listConsentAccessLog: {
        parameters: {
            query?: {
                /** @description Page size, 1–500. */
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page, unchanged. A cursor of another list answers 400. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path: {
                consentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of access-log entries. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessLogList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    reconfirmConsent: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description Any unique string per intended request (a UUID is fine). See "Idempotency" above: a retry with the same key
                 *     and body answers the first response again with `idempotent-replayed: true`.
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
            };
            path: {
                consentId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ReconfirmConsentRequest"];
            };
        };
        responses: {
            /** @description The account, its consent reconfirmed (sandbox) or awaiting the holder at `consent.authorisationUrl` (obie). */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    "idempotent-replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            /** @description `consent_revoked`, `consent_not_authorised` (awaiting authorisation or rejected), `concurrent_update` (retry) or `idempotency_key_in_use`. */
            409: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeConsent: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description Any unique string per intended request (a UUID is fine). See "Idempotency" above: a retry with the same key
                 *     and body answers the first response again with `idempotent-replayed: true`.
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
            };
            path: {
                consentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account, its consent revoked. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    "idempotent-replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    consentCallback: {
        parameters: {
            query: {
                state: string;
                /** @description The authorisation code (absent when the holder refused). */
                code?: string;
                /** @description The OAuth error (e.g. `access_denied`) when the holder refused or the bank failed. */
                error?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page saying whether the account is connected or the payment authorised (no `redirectUrl` was given). */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /**
             * @description On to the `redirectUrl` the account or payment was created with: for an account with `accountId` (and
             *     `error` when not connected) in its query; for a payment with `paymentId` and `status` (`authorised` once
             *     the bank has the payment, `failed` when the payer refused); for a payout with a file still to authorise,
             *     back to its authorisation page (`/payout-authorisations/{bankBatchId}`).
             */
            303: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    /** @description The tenant's page. */
                    location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            400: components["responses"]["HostedPageError"];
            404: components["responses"]["HostedPageError"];
            500: components["responses"]["InternalError"];
        };
    };
    listAspsps: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every configured bank, in registry order. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AspspList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getCashPosition: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every position of the tenant. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        positions: components["schemas"]["CashPosition"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listPayments: {
        parameters: {
            query?: {
                status?: components["schemas"]["PaymentStatus"];
                /** @description Exact match. */
                invoiceId?: string;
                /** @description Exact, case-sensitive match on the payment's `reference`. */
                reference?: string;
                /** @description Page size, 1–500. */
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page, unchanged. A cursor of another list answers 400. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of payments. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createPayment: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description Any unique string per intended request (a UUID is fine). See "Idempotency" above: a retry with the same key
                 *     and body answers the first response again with `idempotent-replayed: true`.
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePaymentRequest"];
            };
        };
        responses: {
            /**
             * @description Initiated, status `authorisation_required` (or, with `idempotent-replayed: true`, the first response to
             *     this key again).
             */
            201: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    "idempotent-replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Payment"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getPayment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                paymentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The payment. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Payment"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listPayouts: {
        parameters: {
            query?: {
                /** @description Page size, 1–500. */
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page, unchanged. A cursor of another list answers 400. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of payouts. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PayoutList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createPayout: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description Any unique string per intended request (a UUID is fine). See "Idempotency" above: a retry with the same key
                 *     and body answers the first response again with `idempotent-replayed: true`.
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePayoutRequest"];
            };
        };
        responses: {
            /** @description Stored, status `authorisation_required`. */
            201: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    "idempotent-replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedPayout"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getPayout: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                payoutId: components["schemas"]["PayoutId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The payout. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Payout"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listPayoutPayments: {
        parameters: {
            query?: {
                status?: components["schemas"]["PaymentStatus"];
                /** @description Page size, 1–500. */
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page, unchanged. A cursor of another list answers 400. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path: {
                payoutId: components["schemas"]["PayoutId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of the payout's payments. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listMandates: {
        parameters: {
            query?: {
                /** @description Page size, 1–500. */
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page, unchanged. A cursor of another list answers 400. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of mandates. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MandateList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createMandate: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description Any unique string per intended request (a UUID is fine). See "Idempotency" above: a retry with the same key
                 *     and body answers the first response again with `idempotent-replayed: true`.
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateMandateRequest"];
            };
        };
        responses: {
            /** @description Created, status `authorisation_required` (or, with `idempotent-replayed: true`, the first response to this key again). */
            201: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    "idempotent-replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Mandate"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getMandate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                mandateId: components["parameters"]["MandateId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The mandate. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Mandate"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createMandatePayment: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description Any unique string per intended request (a UUID is fine). See "Idempotency" above: a retry with the same key
                 *     and body answers the first response again with `idempotent-replayed: true`.
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
            };
            path: {
                mandateId: components["parameters"]["MandateId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateMandatePaymentRequest"];
            };
        };
        responses: {
            /** @description Taken (or, with `idempotent-replayed: true`, the first response to this key again). */
            201: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    "idempotent-replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Payment"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["MandateLimitExceeded"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    revokeMandate: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description Any unique string per intended request (a UUID is fine). See "Idempotency" above: a retry with the same key
                 *     and body answers the first response again with `idempotent-replayed: true`.
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
            };
            path: {
                mandateId: components["parameters"]["MandateId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    "idempotent-replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Mandate"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    refundPayment: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description Any unique string per intended request (a UUID is fine). See "Idempotency" above: a retry with the same key
                 *     and body answers the first response again with `idempotent-replayed: true`.
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description The inbound payment to refund. */
                paymentId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateRefundRequest"];
            };
        };
        responses: {
            /**
             * @description The refund, an outbound payment (`refundOf`), status `authorisation_required`, or `failed` with
             *     `payee_name_mismatch` when Confirmation of Payee stopped it (or, with `idempotent-replayed: true`, the
             *     first response to this key again).
             */
            201: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    "idempotent-replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Payment"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            /**
             * @description `payment_not_refundable` (an outbound payment: only money received can be refunded),
             *     `payment_not_settled` (nothing settled yet, or `returned`: its money already went back),
             *     `concurrent_change` (the payment kept changing while the refund was written; try again),
             *     `account_not_active` or `idempotency_key_in_use`.
             */
            409: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["UnsupportedMediaType"];
            /**
             * @description `refund_exceeds_settled` (refunds would add up to more than the payment settled; `details[0].message`
             *     says how much can still be refunded), `payer_account_unknown` (neither the payment nor its booked
             *     transaction names the payer's sort code and account number) or `idempotency_key_reused`.
             */
            422: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listPaymentLinks: {
        parameters: {
            query?: {
                /** @description Page size, 1–500. */
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page, unchanged. A cursor of another list answers 400. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of payment links. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentLinkList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createPaymentLink: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description Any unique string per intended request (a UUID is fine). See "Idempotency" above: a retry with the same key
                 *     and body answers the first response again with `idempotent-replayed: true`.
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePaymentLinkRequest"];
            };
        };
        responses: {
            /** @description Created, status `active` (or, with `idempotent-replayed: true`, the first response to this key again). */
            201: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    "idempotent-replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentLink"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getPaymentLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                linkId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The payment link. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentLink"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listWebhookEndpoints: {
        parameters: {
            query?: {
                /** @description Page size, 1–500. */
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page, unchanged. A cursor of another list answers 400. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of endpoints. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpointList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    createWebhookEndpoint: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description Any unique string per intended request (a UUID is fine). See "Idempotency" above: a retry with the same key
                 *     and body answers the first response again with `idempotent-replayed: true`.
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWebhookEndpointRequest"];
            };
        };
        responses: {
            /** @description Registered (or, with `idempotent-replayed: true`, the first response to this key again). */
            201: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    "idempotent-replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedWebhookEndpoint"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            409: components["responses"]["Conflict"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpointId: components["parameters"]["EndpointId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpoint"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                endpointId: components["parameters"]["EndpointId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: components["schemas"]["WebhookEndpointId"];
                        /** @constant */
                        deleted: true;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    redeliverEvent: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description Any unique string per intended request (a UUID is fine). See "Idempotency" above: a retry with the same key
                 *     and body answers the first response again with `idempotent-replayed: true`.
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
            };
            path: {
                endpointId: components["parameters"]["EndpointId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RedeliverEventRequest"];
            };
        };
        responses: {
            /** @description Queued (or, with `idempotent-replayed: true`, the first response to this key again). */
            202: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    "idempotent-replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Redelivery"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            /**
             * @description `webhook_endpoint_not_found` or `event_not_found`: no such endpoint or event for this caller (another
             *     tenant's answer the same).
             */
            404: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `webhook_endpoint_disabled` (it answered 410 Gone earlier; register it again) or `idempotency_key_in_use`
             *     (the first request with this key is still running: retry shortly).
             */
            409: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["UnsupportedMediaType"];
            /**
             * @description `event_not_subscribed` (the endpoint's `events` do not include this event's type) or
             *     `idempotency_key_reused`.
             */
            422: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listEvents: {
        parameters: {
            query?: {
                /**
                 * @description Only events of this type. The log is read in order and filtered, so a page may hold fewer than `limit`
                 *     events, even none, while `nextCursor` is not null: keep following the cursor until it is null.
                 */
                type?: components["schemas"]["EventType"];
                /**
                 * @description Only events after this one (by occurrence time). An id not in your log answers 400 (path `after`)
                 *     rather than replaying everything from the oldest event.
                 */
                after?: string;
                /**
                 * @description Only events created at or after this instant (`createdAt` ≥ `since`), e.g. the last day's
                 *     `cash_position.updated` events for a chart, without reading the log from its start: the log is read from
                 *     that month on. An ISO 8601 date-time (an offset or `Z`); anything else answers 400 (path `since`).
                 *     Combines with `type`, `after` and the cursor.
                 */
                since?: string;
                /** @description Page size, 1–500. */
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page, unchanged. A cursor of another list answers 400. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of events. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    listReconciliationExceptions: {
        parameters: {
            query?: {
                status?: "open" | "resolved";
                type?: components["schemas"]["ExceptionType"];
                accountId?: string;
                /** @description Page size, 1–500. */
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page, unchanged. A cursor of another list answers 400. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of exceptions. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReconciliationExceptionList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getReconciliationException: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                exceptionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The exception. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReconciliationException"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    resolveReconciliationException: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description Any unique string per intended request (a UUID is fine). See "Idempotency" above: a retry with the same key
                 *     and body answers the first response again with `idempotent-replayed: true`.
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
            };
            path: {
                exceptionId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResolveExceptionRequest"];
            };
        };
        responses: {
            /** @description The resolved exception. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    "idempotent-replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReconciliationException"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            /** @description `exception_already_resolved`, `nothing_to_match`, `nothing_to_refund` (the money is applied, or it is a debit), `transaction_not_booked`, `concurrent_change` or `idempotency_key_in_use`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `payment_not_matchable` (another account, currency or direction, or not open; `details` names it), `counterparty_account_unknown` (a refund needs the payer's sort code and account number), `payee_name_mismatch` (Confirmation of Payee: the payer's bank does not confirm the name for a refund; nothing is sent and the exception stays open; resolve again with `confirmationOfPayee: proceed_on_mismatch` to send it anyway) or `idempotency_key_reused`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getReconciliationReport: {
        parameters: {
            query: {
                from: string;
                to: string;
                accountId?: string;
                /** @description `json` (default) or `csv`. */
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report, as JSON or (with `format=csv`) as a CSV attachment. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    /** @description With `format=csv`: `attachment; filename="reconciliation-report_<from date>_<to date>.csv"`. */
                    "content-disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReconciliationReport"];
                    /**
                     * @example account_id,account_name,currency,section,direction,status,count,amount,milliseconds
                     *     acc_01JD0000000000000000000001,Acme Ltd,GBP,transactions,in,matched,2,2452.40,
                     *     acc_01JD0000000000000000000001,Acme Ltd,GBP,transactions,out,matched,1,428.75,
                     *     acc_01JD0000000000000000000001,Acme Ltd,GBP,net,in,total_booked,,2023.65,
                     *     acc_01JD0000000000000000000001,Acme Ltd,GBP,settlement_latency,,p50,3,,300000
                     */
                    "text/csv": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    receiveBankWebhook: {
        parameters: {
            query?: never;
            header: {
                /** @description `truelayer` only: the detached JWS (`header..signature`) with `jku`, `kid`, `tl_version: "2"` and `tl_headers`. */
                "Tl-Signature"?: string;
                /** @description `truelayer` only: when TrueLayer sent the webhook (RFC 3339), covered by the signature. */
                "X-Tl-Webhook-Timestamp"?: string;
                /** @description Standard Webhooks message id; the same on every retry of the same message. */
                "webhook-id": components["parameters"]["WebhookIdHeader"];
                /** @description Standard Webhooks timestamp, Unix seconds. Verified within 5 minutes of the receiver's clock. */
                "webhook-timestamp": components["parameters"]["WebhookTimestampHeader"];
                /**
                 * @description Standard Webhooks signatures, space-separated, each `v1,` + base64 HMAC-SHA256 over
                 *     `{webhook-id}.{webhook-timestamp}.{body}`. For `gocardless`: the hex HMAC-SHA256 of the raw body with the
                 *     endpoint's secret.
                 */
                "webhook-signature": components["parameters"]["WebhookSignatureHeader"];
            };
            path: {
                provider: "sandbox" | "obie" | "truelayer" | "gocardless";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BankWebhook"] | components["schemas"]["TrueLayerWebhook"] | components["schemas"]["GoCardlessWebhook"];
                "application/jwt": string;
            };
        };
        responses: {
            /** @description Durably queued for reconciliation. */
            202: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description Facts queued (the number of transactions, or 1 for a payment status); for `obie`, the syncs
                         *     the notification asked for (0 for a replayed `jti` or an event Settled has no use for); for
                         *     `truelayer` and `gocardless`, the status reports queued (0 when Settled has no use for the
                         *     events).
                         */
                        received: number;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            /**
             * @description Missing `webhook-*` headers, bad signature or stale timestamp (code `unauthorized`); nothing stored,
             *     nothing queued.
             */
            401: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    getBankChoicePage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The random id (`obp_…`) in an Open Banking inbound payment's `authorisationUrl`. */
                bankPaymentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            404: components["responses"]["HostedPageError"];
            409: components["responses"]["HostedPageError"];
            500: components["responses"]["InternalError"];
        };
    };
    chooseBank: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The random id (`obp_…`) in an Open Banking inbound payment's `authorisationUrl`. */
                bankPaymentId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BankChoice"];
                "application/x-www-form-urlencoded": components["schemas"]["BankChoice"];
            };
        };
        responses: {
            /** @description To the bank's authorisation page. */
            303: {
                headers: {
                    /** @description The bank's authorisation URL. */
                    location?: string;
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            400: components["responses"]["HostedPageError"];
            404: components["responses"]["HostedPageError"];
            409: components["responses"]["HostedPageError"];
            422: components["responses"]["HostedPageError"];
            500: components["responses"]["InternalError"];
        };
    };
    deactivatePaymentLink: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description Any unique string per intended request (a UUID is fine). See "Idempotency" above: a retry with the same key
                 *     and body answers the first response again with `idempotent-replayed: true`.
                 */
                "Idempotency-Key": components["parameters"]["IdempotencyKey"];
            };
            path: {
                linkId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The link, expired. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    "idempotent-replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentLink"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            /** @description `payment_link_completed`: a single-use link whose payment settled. */
            410: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
        };
    };
    getPayoutAuthorisationPage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id (`obb_…`) in the `authorisationUrl` of a payout from an Open Banking account. */
                bankBatchId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Where the payout stands (authorised, or not authorised by the payer). */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description To the bank's authorisation page for the payout's next file. */
            303: {
                headers: {
                    /** @description The bank's authorisation URL. */
                    location?: string;
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            404: components["responses"]["HostedPageError"];
            500: components["responses"]["InternalError"];
        };
    };
    getPaymentLinkPage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The link's id, the last segment of its `url`. */
                linkId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    "content-security-policy": components["headers"]["ContentSecurityPolicy"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            404: components["responses"]["HostedPageError"];
            409: components["responses"]["HostedPageError"];
            410: components["responses"]["HostedPageError"];
            500: components["responses"]["InternalError"];
        };
    };
    payThroughLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The link's id, the last segment of its `url`. */
                linkId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BankChoice"];
                "application/x-www-form-urlencoded": components["schemas"]["BankChoice"];
            };
        };
        responses: {
            /** @description To the bank's authorisation page. */
            303: {
                headers: {
                    /** @description The bank's authorisation URL. */
                    location?: string;
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            400: components["responses"]["HostedPageError"];
            404: components["responses"]["HostedPageError"];
            409: components["responses"]["HostedPageError"];
            410: components["responses"]["HostedPageError"];
            422: components["responses"]["HostedPageError"];
            500: components["responses"]["InternalError"];
        };
    };
    getSandboxAuthorisationPage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The sandbox bank's payment id (`sbp_…`), the last segment of the payment's `authorisationUrl`, or its
                 *     mandate id (`sbm_…`), the last segment of a mandate's: the page then shows the mandate's limits and the
                 *     payments taken under it, and the decision authorises the mandate once (no webhooks).
                 */
                bankPaymentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            404: components["responses"]["HostedPageError"];
            410: components["responses"]["HostedPageError"];
            500: components["responses"]["InternalError"];
        };
    };
    decideSandboxAuthorisation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The sandbox bank's payment id (`sbp_…`), the last segment of the payment's `authorisationUrl`, or its
                 *     mandate id (`sbm_…`), the last segment of a mandate's: the page then shows the mandate's limits and the
                 *     payments taken under it, and the decision authorises the mandate once (no webhooks).
                 */
                bankPaymentId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SandboxDecision"];
                "application/x-www-form-urlencoded": components["schemas"]["SandboxDecision"];
            };
        };
        responses: {
            /** @description Decided. */
            200: {
                headers: {
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        bankPaymentId: string;
                        /** @enum {string} */
                        status: "approved" | "rejected";
                    };
                    "text/html": string;
                };
            };
            /** @description The form's decision, on a payment with a `redirectUrl`; to that URL with the outcome. */
            303: {
                headers: {
                    /** @description The payment's redirectUrl with paymentId and status. */
                    location?: string;
                    "x-request-id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            400: components["responses"]["HostedPageError"];
            404: components["responses"]["HostedPageError"];
            409: components["responses"]["HostedPageError"];
            410: components["responses"]["HostedPageError"];
            500: components["responses"]["InternalError"];
        };
    };
    deliverTenantEvent: {
        parameters: {
            query?: never;
            header: {
                /** @description Standard Webhooks message id; the same on every retry of the same message. */
                "webhook-id": components["parameters"]["WebhookIdHeader"];
                /** @description Standard Webhooks timestamp, Unix seconds. Verified within 5 minutes of the receiver's clock. */
                "webhook-timestamp": components["parameters"]["WebhookTimestampHeader"];
                /**
                 * @description Standard Webhooks signatures, space-separated, each `v1,` + base64 HMAC-SHA256 over
                 *     `{webhook-id}.{webhook-timestamp}.{body}`. For `gocardless`: the hex HMAC-SHA256 of the raw body with the
                 *     endpoint's secret.
                 */
                "webhook-signature": components["parameters"]["WebhookSignatureHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Event"];
            };
        };
        responses: {
            /** @description The endpoint is disabled (`status` becomes `disabled` with a `disabledReason`). */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Delivered; not sent to this endpoint again. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description Any other answer, or none within 10 seconds: retried with the same `webhook-id` after about 5 s, 5 min,
             *     30 min, 2 h, 5 h, then every 10 h (each ±20 % jitter) until 72 hours after the first attempt; then the
             *     delivery is dead-lettered and alarmed. Redirects are not followed. Outside the local runtime the URL must
             *     be https and must not resolve to a private, loopback, link-local or metadata address, checked at
             *     registration and again at connect time.
             */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
