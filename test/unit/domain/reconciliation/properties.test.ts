import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signedAmount } from '../../../../shared/domain/cash/cash-position';
import { formatAmount, parseBankAmount } from '../../../../shared/domain/money';
import type { Direction, PaymentStatus } from '../../../../shared/domain/payments/payment';
import { generateReference, matchingKey } from '../../../../shared/domain/references';
import type { CreditDebit } from '../../../../shared/domain/settlement/bank-transaction';
import { TENANT_ID } from '../../../support/domain-fakes';
import {
  CORPUS_ACCOUNT,
  type CorpusWorld,
  corpusWorld,
  exceptionsOf,
  paymentFrom,
  type PaymentSpec,
  type PaymentState,
  paymentStates,
  runStep,
  seededRandomIndex,
  type Step,
  type TransactionSpec,
} from '../../../support/corpus-builders';

/** An over-payment applied to a payment is recorded by one of these: crossing the amount (amount_mismatch), or a
 * person accepting a second payment of a settled invoice (duplicate_payment). */
const OVERPAYMENT_EXCEPTIONS = new Set(['amount_mismatch', 'duplicate_payment']);

/**
 * Issue 4 properties of reconciliation, each checked with fast-check over at least 200 generated worlds (fixed
 * seeds, so a failure is reproducible: fast-check prints the seed, path and shrunk counterexample).
 */

const money = (minor: number): string => formatAmount(minor, 'GBP');

type ArbitraryValue<A> = A extends fc.Arbitrary<infer T> ? T : never;

// ---------------------------------------------------------------------------------------------------------------
// References: generated ones, and tenant ones with the substring and prefix hazards of real invoice numbering

const generatedReferenceArbitrary = fc.integer({ min: 1, max: 2 ** 31 - 1 }).map((seed) => generateReference(seededRandomIndex(seed)));
const tenantReferenceArbitrary = fc.oneof(
  fc.integer({ min: 1, max: 130 }).map((n) => `INV-${n}`),
  fc.integer({ min: 1, max: 130 }).map((n) => `INV-2024-${n}`),
  fc.integer({ min: 1, max: 130 }).map((n) => `INV-2024-${String(n).padStart(4, '0')}`),
  fc.integer({ min: 77_800, max: 77_830 }).map((n) => `PO ${n}/B`),
);
const referenceArbitrary = fc.oneof(generatedReferenceArbitrary, tenantReferenceArbitrary);

/** What a bank may do to a reference on the way back. */
type Mangling = 'as_sent' | 'upper_stripped' | 'punctuation_to_spaces' | 'spaces_to_hyphens' | 'lower_case';
const manglingArbitrary = fc.constantFrom<Mangling>('as_sent', 'upper_stripped', 'punctuation_to_spaces', 'spaces_to_hyphens', 'lower_case');
const mangle = (reference: string, mangling: Mangling): string => {
  switch (mangling) {
    case 'as_sent':
      return reference;
    case 'upper_stripped':
      return matchingKey(reference);
    case 'punctuation_to_spaces':
      return reference.toUpperCase().replace(/[^A-Za-z0-9]+/g, ' ');
    case 'spaces_to_hyphens':
      return reference.toUpperCase().replace(/ /g, '-');
    case 'lower_case':
      return reference.toLowerCase();
  }
};

// ---------------------------------------------------------------------------------------------------------------
// Payments on the account

const paymentSpecArbitrary = fc.record({
  reference: referenceArbitrary,
  amount: fc.integer({ min: 1, max: 200_000 }),
  direction: fc.constantFrom<Direction>('inbound', 'inbound', 'inbound', 'inbound', 'inbound', 'outbound'),
  currency: fc.constantFrom('GBP', 'GBP', 'GBP', 'GBP', 'GBP', 'EUR'),
  state: fc.constantFrom<'executed' | 'authorised' | 'part_paid' | 'settled' | 'failed'>('executed', 'executed', 'executed', 'authorised', 'part_paid', 'part_paid', 'settled', 'failed'),
  paidShare: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
});

const toPaymentSpec = (generated: ArbitraryValue<typeof paymentSpecArbitrary>, index: number): PaymentSpec => {
  const base = { id: `pay_${index}`, reference: generated.reference, amount: generated.amount, direction: generated.direction, currency: generated.currency };
  switch (generated.state) {
    case 'part_paid':
      return generated.amount < 2 ? base : { ...base, settled: Math.max(1, Math.min(generated.amount - 1, Math.floor(generated.amount * generated.paidShare))) };
    case 'settled':
      return { ...base, settled: generated.amount };
    case 'failed':
      return { ...base, status: 'failed' as PaymentStatus };
    case 'authorised':
      return { ...base, status: 'authorised' as PaymentStatus };
    default:
      return base;
  }
};

/** Payments with distinct matching keys, as the per-tenant reference claim guarantees. */
const paymentsArbitrary = (maxLength: number, arbitrary: typeof paymentSpecArbitrary = paymentSpecArbitrary) =>
  fc.uniqueArray(arbitrary, { minLength: 1, maxLength, selector: (payment) => matchingKey(payment.reference) }).map((payments) => payments.map(toPaymentSpec));

const due = (spec: PaymentSpec): number => Math.max(0, spec.amount - (spec.settled ?? 0));

const settledOf = (states: readonly PaymentState[], id: string): number => states.find((state) => state.id === id)?.amountSettled ?? 0;

// ---------------------------------------------------------------------------------------------------------------
// (1) One transaction naming a random subset of the open payments

const namingTransactionArbitrary = fc.record({
  named: fc.array(fc.nat({ max: 5 }), { maxLength: 4 }),
  manglings: fc.array(manglingArbitrary, { minLength: 4, maxLength: 4 }),
  separator: fc.constantFrom(' ', ' / ', ', ', ' + '),
  payerPrefix: fc.constantFrom('', 'J SMITH ', 'ACME LTD '),
  dateSuffix: fc.constantFrom('', ' FP 24/11/26 1432', ' 24/11/26'),
  referenceField: fc.constantFrom<'null' | 'fps_id' | 'first_named' | 'first_named_truncated'>('null', 'fps_id', 'first_named', 'first_named_truncated'),
  truncateTo: fc.integer({ min: 8, max: 12 }),
  amount: fc.oneof(
    { weight: 3, arbitrary: fc.constant<'dues_of_named'>('dues_of_named') },
    { weight: 1, arbitrary: fc.constant<'due_of_first'>('due_of_first') },
    { weight: 1, arbitrary: fc.constant<'settled_of_first'>('settled_of_first') },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 300_000 }) },
  ),
  cd: fc.constantFrom<CreditDebit>('credit', 'credit', 'credit', 'credit', 'credit', 'debit'),
  currency: fc.constantFrom('GBP', 'GBP', 'GBP', 'GBP', 'GBP', 'EUR'),
  status: fc.constantFrom<'booked' | 'pending'>('booked', 'booked', 'booked', 'booked', 'booked', 'pending'),
});

const namingTransaction = (payments: readonly PaymentSpec[], generated: ArbitraryValue<typeof namingTransactionArbitrary>): TransactionSpec => {
  const named = [...new Set(generated.named.map((index) => index % payments.length))].map((index) => payments[index]).filter((payment) => payment !== undefined);
  const texts = named.map((payment, index) => mangle(payment.reference, generated.manglings[index] ?? 'as_sent'));
  const narrative = `${generated.payerPrefix}${texts.join(generated.separator)}${generated.dateSuffix}`;
  const first = texts[0];
  const reference =
    generated.referenceField === 'null' || first === undefined
      ? null
      : generated.referenceField === 'fps_id'
        ? 'RP2611240914327781'
        : generated.referenceField === 'first_named'
          ? first
          : first.slice(0, generated.truncateTo);
  const amount =
    generated.amount === 'dues_of_named'
      ? named.reduce((sum, payment) => sum + due(payment), 0)
      : generated.amount === 'due_of_first'
        ? (named[0] === undefined ? 0 : due(named[0]))
        : generated.amount === 'settled_of_first'
          ? (named[0]?.settled ?? 0)
          : generated.amount;
  return {
    id: 'bank-txn-1',
    reference,
    narrative: narrative.trim() === '' ? null : narrative,
    amount: formatAmount(Math.max(1, amount), generated.currency),
    cd: generated.cd,
    currency: generated.currency,
    status: generated.status,
  };
};

describe('property 1: one transaction never settles more than it carries', () => {
  it('the total newly settled across payments never exceeds the transaction amount, and every over-payment has an open amount_mismatch', async () => {
    await fc.assert(
      fc.asyncProperty(paymentsArbitrary(6), namingTransactionArbitrary, async (payments, generated) => {
        // Prepare
        const world = corpusWorld(payments.map(paymentFrom));
        const before = await paymentStates(world);
        const transaction = namingTransaction(payments, generated);
        // Act
        await runStep(world, { transaction });
        // Assess
        const after = await paymentStates(world);
        const stored = (await world.transactions.get(TENANT_ID, CORPUS_ACCOUNT.id, transaction.id))?.transaction;
        if (stored === undefined) throw new Error('the transaction was not stored');
        const increases = after.map((state) => ({ state, increase: state.amountSettled - settledOf(before, state.id) })).filter((change) => change.increase > 0);
        const newlySettled = increases.reduce((sum, change) => sum + change.increase, 0);
        expect(newlySettled, `settled ${newlySettled} from a transaction of ${stored.amount}`).toBeLessThanOrEqual(stored.amount);
        if (stored.status === 'pending') expect(newlySettled, 'a pending transaction settled money').toBe(0);
        // Whatever moved, moved in the transaction's currency and direction, and the transaction lists it.
        for (const { state } of increases) {
          const spec = payments.find((payment) => payment.id === state.id);
          expect(spec?.currency).toBe(stored.currency);
          expect(spec?.direction).toBe(stored.creditDebitIndicator === 'credit' ? 'inbound' : 'outbound');
          expect(stored.reconciliation.paymentIds).toContain(state.id);
        }
        // Over-payments are recorded, never silent.
        const overpaid = after.filter((state) => state.overpaidBy > (before.find((previous) => previous.id === state.id)?.overpaidBy ?? 0));
        for (const state of overpaid) {
          expect(state.overpaidBy).toBe(state.amountSettled - state.amount);
          expect(
            exceptionsOf(world).some((exception) => OVERPAYMENT_EXCEPTIONS.has(exception.type) && exception.status === 'open' && exception.candidatePaymentIds.includes(state.id)),
            `${state.id} over-paid by ${money(state.overpaidBy)} with no open over-payment exception`,
          ).toBe(true);
        }
        // Nothing settled means something for a person: an exception, unless it is pending or matched.
        if (stored.status === 'booked' && stored.reconciliation.status !== 'matched') {
          expect(exceptionsOf(world).filter((exception) => exception.transactionId === stored.id && exception.status === 'open')).toHaveLength(1);
        }
      }),
      { numRuns: 500, seed: 4_242 },
    );
  });

  it('with generated references, a transaction settles only payments whose reference it carries (or starts, truncated, in its reference field)', async () => {
    // Generated references are all 11 characters, so none is a prefix of another; tenant ones are fine as long as
    // the reference field is not a key of another payment (see DEFECT 1 below).
    await fc.assert(
      fc.asyncProperty(
        fc
          .uniqueArray(fc.record({ reference: generatedReferenceArbitrary, amount: fc.integer({ min: 1, max: 200_000 }) }), { minLength: 1, maxLength: 6, selector: (payment) => payment.reference })
          .map((payments) => payments.map((payment, index): PaymentSpec => ({ id: `pay_${index}`, ...payment }))),
        namingTransactionArbitrary,
        async (payments, generated) => {
          const world = corpusWorld(payments.map(paymentFrom));
          const transaction = namingTransaction(payments, generated);
          await runStep(world, { transaction });
          const carried = (transaction.reference ?? '') + ' ' + (transaction.narrative ?? '');
          for (const state of await paymentStates(world)) {
            if (state.amountSettled === 0) continue;
            const reference = payments.find((payment) => payment.id === state.id)?.reference ?? '';
            const prefix = transaction.reference === null ? '' : matchingKey(transaction.reference);
            expect(
              matchingKey(carried).includes(reference) || (prefix.length >= 8 && reference.startsWith(prefix)),
              `FALSE AUTOMATIC SETTLEMENT: ${state.id} (${reference}) settled by ${JSON.stringify(carried)}`,
            ).toBe(true);
          }
        },
      ),
      { numRuns: 300, seed: 1_124 },
    );
  });

  // DEFECT 1 (shared/domain/settlement/matching.ts decideMatch, prefix branch), found by this property: with tenant
  // references such as INV-2024-1 and INV-2024-12, a reference field that is exactly the key of a closed or
  // ineligible payment is still used as a truncated prefix and settles the one open payment it starts. Shrinks to
  // e.g. a settled INV-2024-1 (or one in EUR) and an open INV-2024-12, credit with reference "INV-2024-1".
  it('a transaction settles only payments it names (tenant references, closed payments around) [former DEFECT 1]', async () => {
    // Unpadded invoice numbers, where INV-2024-1 starts INV-2024-10 … INV-2024-19.
    const unpadded = paymentSpecArbitrary.chain((payment) => fc.integer({ min: 1, max: 19 }).map((n) => ({ ...payment, reference: `INV-2024-${n}` })));
    await fc.assert(
      fc.asyncProperty(paymentsArbitrary(6, unpadded), namingTransactionArbitrary, async (payments, generated) => {
        const world = corpusWorld(payments.map(paymentFrom));
        const before = await paymentStates(world);
        const transaction = namingTransaction(payments, { ...generated, referenceField: generated.referenceField === 'first_named_truncated' ? 'first_named' : generated.referenceField });
        await runStep(world, { transaction });
        const named = new Set(generated.named.map((index) => payments[index % payments.length]?.id));
        for (const state of await paymentStates(world)) {
          if (state.amountSettled > settledOf(before, state.id)) {
            expect(named.has(state.id), `FALSE AUTOMATIC SETTLEMENT: ${state.id} settled though the transaction does not name it`).toBe(true);
          }
        }
      }),
      { numRuns: 1_000, seed: 77 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// (2) The same reports in any order, duplicated, give the same final state

type Report =
  | { readonly kind: 'status'; readonly payment: number; readonly status: 'authorised' | 'executed' }
  | { readonly kind: 'credit'; readonly payment: number; readonly part: number; readonly twin: boolean; readonly place: 'reference' | 'narrative' | 'truncated' }
  | { readonly kind: 'lone_pending'; readonly payment: number; readonly amount: number }
  | { readonly kind: 'unrelated'; readonly amount: number; readonly cd: CreditDebit };

interface Scenario {
  readonly payments: readonly PaymentSpec[];
  readonly reports: readonly Report[];
}

/**
 * 1–3 open payments (generated references), and reports about them: status reports, booked credits (each with or
 * without a pending twin under another bank id and the same end-to-end id), lone pending lines, unrelated lines.
 * `withinAmount`: the credits of each payment add up to at most its amount (no over-payment).
 */
const scenarioArbitrary = (withinAmount: boolean): fc.Arbitrary<Scenario> =>
  fc
    .record({
      payments: fc.uniqueArray(
        fc.record({
          reference: generatedReferenceArbitrary,
          status: fc.constantFrom<PaymentStatus>('authorisation_required', 'authorised', 'executed'),
          parts: fc.array(fc.integer({ min: 1, max: 50_000 }), { maxLength: 3 }),
          extra: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50_000 })),
          independentAmount: fc.integer({ min: 1, max: 100_000 }),
        }),
        { minLength: 1, maxLength: 3, selector: (payment) => payment.reference },
      ),
      others: fc.array(
        fc.oneof(
          fc.record({ kind: fc.constant<'status'>('status'), payment: fc.nat({ max: 2 }), status: fc.constantFrom<'authorised' | 'executed'>('authorised', 'executed') }),
          fc.record({ kind: fc.constant<'lone_pending'>('lone_pending'), payment: fc.nat({ max: 2 }), amount: fc.integer({ min: 1, max: 50_000 }) }),
          fc.record({ kind: fc.constant<'unrelated'>('unrelated'), amount: fc.integer({ min: 1, max: 50_000 }), cd: fc.constantFrom<CreditDebit>('credit', 'debit') }),
        ),
        { maxLength: 4 },
      ),
      twins: fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
      places: fc.array(fc.constantFrom<'reference' | 'narrative' | 'truncated'>('reference', 'narrative', 'truncated'), { minLength: 9, maxLength: 9 }),
    })
    .map(({ payments, others, twins, places }) => {
      const specs = payments.map(
        (payment, index): PaymentSpec & { parts: readonly number[] } => ({
          id: `pay_${index}`,
          reference: payment.reference,
          amount: withinAmount ? payment.parts.reduce((sum, part) => sum + part, 0) + payment.extra || 1 : payment.independentAmount,
          status: payment.status,
          parts: payment.parts,
        }),
      );
      const credits: Report[] = specs.flatMap((spec, index) =>
        spec.parts.map((part, partIndex) => ({
          kind: 'credit' as const,
          payment: index,
          part,
          twin: twins[index * 3 + partIndex] ?? false,
          place: places[index * 3 + partIndex] ?? 'reference',
        })),
      );
      const reports = [...credits, ...others.map((other) => ('payment' in other ? { ...other, payment: other.payment % specs.length } : other))];
      return { payments: specs.map(({ parts: _parts, ...spec }) => spec), reports };
    });

/** The messages a report produces, with stable bank ids: a credit with a twin is a pending line and a booked one. */
const stepsOf = (scenario: Scenario): Step[][] =>
  scenario.reports.map((report, index): Step[] => {
    const payment = 'payment' in report ? scenario.payments[report.payment] : undefined;
    const reference = payment?.reference ?? '';
    switch (report.kind) {
      case 'status':
        return [{ status: { payment: payment?.id ?? '', status: report.status } }];
      case 'credit': {
        const amount = money(report.part);
        const fields =
          report.place === 'reference'
            ? { reference, narrative: `J SMITH ${reference}` }
            : report.place === 'narrative'
              ? { reference: 'RP2611240914327781', narrative: `j smith ${reference.toLowerCase()} fp 24/11/26 1432` }
              : { reference: reference.slice(0, 10), narrative: null };
        const booked: TransactionSpec = { id: `b${index}-booked`, amount, ...fields, ...(report.twin ? { endToEndId: `E2E-${index}` } : {}) };
        return report.twin ? [{ transaction: { ...booked, id: `b${index}-pending`, status: 'pending' } }, { transaction: booked }] : [{ transaction: booked }];
      }
      case 'lone_pending':
        return [{ transaction: { id: `b${index}-lone`, reference, amount: money(report.amount), status: 'pending', endToEndId: `E2E-lone-${index}` } }];
      case 'unrelated':
        return [{ transaction: { id: `b${index}-unrelated`, reference: null, narrative: 'CARD PAYMENT TESCO STORES 24/11/26', amount: money(report.amount), cd: report.cd } }];
    }
  });

/** The final state, without generated ids: payments, stored lines, booked lines' reconciliation, exceptions by type. */
const finalState = async (world: CorpusWorld) => ({
  payments: await paymentStates(world),
  transactions: world.transactions
    .all()
    .map(({ transaction }) => ({
      bankTransactionId: transaction.bankTransactionId,
      status: transaction.status,
      amount: transaction.amount,
      creditDebitIndicator: transaction.creditDebitIndicator,
      ...(transaction.status === 'booked' ? { reconciliation: transaction.reconciliation.status, paymentIds: [...transaction.reconciliation.paymentIds].sort() } : {}),
    }))
    .sort((a, b) => a.bankTransactionId.localeCompare(b.bankTransactionId)),
  exceptions: exceptionsOf(world)
    .map((exception) => `${exception.type}:${exception.bankTransactionId}`)
    .sort(),
  cash: await world.cash.get(TENANT_ID, CORPUS_ACCOUNT.id, 'GBP').then((position) =>
    position === undefined ? undefined : { settledBalance: position.settledBalance, pendingInbound: position.pendingInbound, pendingOutbound: position.pendingOutbound },
  ),
});

const replayWorld = async (scenario: Scenario, steps: readonly Step[]) => {
  const world = corpusWorld(scenario.payments.map(paymentFrom));
  for (const step of steps) {
    await runStep(world, step);
  }
  return world;
};

const replay = async (scenario: Scenario, steps: readonly Step[]) => finalState(await replayWorld(scenario, steps));

/** Per payment: its status, and the money named to it — settled, or left unapplied in a duplicate_payment naming it. */
const moneyPerPayment = async (world: CorpusWorld) => {
  const unapplied = (id: string) =>
    exceptionsOf(world)
      .filter((exception) => exception.type === 'duplicate_payment' && exception.candidatePaymentIds.includes(id))
      .reduce((sum, exception) => sum + exception.amount, 0);
  return (await paymentStates(world)).map((state) => ({ id: state.id, status: state.status, named: state.amountSettled + unapplied(state.id) }));
};

/**
 * A delivery order: the messages of every report, interleaved at random (a report's own pending line may come
 * before or after its booked one: the queue is not FIFO), some delivered again.
 */
const deliveryArbitrary = (scenario: Scenario) => {
  const messages = stepsOf(scenario).flat();
  return fc
    .tuple(fc.array(fc.nat({ max: Math.max(0, messages.length - 1) }), { maxLength: 6 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: messages.length + 6, maxLength: messages.length + 6 }))
    .map(([duplicates, keys]) => {
      const delivered = [...messages, ...duplicates.flatMap((index) => (messages[index] === undefined ? [] : [messages[index]]))];
      return delivered.map((step, index) => ({ step, key: keys[index] ?? 0 })).sort((a, b) => a.key - b.key).map(({ step }) => step);
    });
};

// Each property replays hundreds of worlds twice: seconds alone, more on a machine shared with other test runs.
describe('property 2: the same reports in any order, or duplicated, give the same final state', { timeout: 60_000 }, () => {
  /** The pending figures, left out where DEFECT 7 makes them depend on the order (a lone pending line naming a payment). */
  const comparable = (scenario: Scenario, state: Awaited<ReturnType<typeof finalState>>) =>
    scenario.reports.some((report) => report.kind === 'lone_pending') ? { ...state, cash: { settledBalance: state.cash?.settledBalance } } : state;

  it('when no payment receives more than its amount: payments, stored lines, exceptions, cash position', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarioArbitrary(true).chain((scenario) => fc.tuple(fc.constant(scenario), deliveryArbitrary(scenario))),
        async ([scenario, shuffled]) => {
          // Prepare + Act: in report order, and shuffled with duplicates
          const inOrder = await replay(scenario, stepsOf(scenario).flat());
          const reordered = await replay(scenario, shuffled);
          // Assess
          expect(comparable(scenario, reordered)).toEqual(comparable(scenario, inOrder));
        },
      ),
      { numRuns: 300, seed: 2_611 },
    );
  });

  // DEFECT 7 (shared/domain/cash/cash-position.ts pendingTransactionContribution, with plan-reconciliation.ts pending
  // branch): a pending line that names an open payment is stored with paymentIds [payment] and contributes nothing
  // ("the payment's own contribution covers it"); the same line processed after that payment settled on another
  // credit names no payment and counts as pending inbound. So pendingInbound depends on the processing order, and
  // in the first order a second payment in flight (a payer paying twice) is not counted at all once the payment
  // settles. Shrinks to: payment £0.01, booked credit £0.01 and a lone pending £0.01 with its reference; pending
  // first → pendingInbound 0, pending last → 0.01. Fix: a pending line covered by a payment's contribution should be
  // tied to it only while that payment is executed/partially settled (e.g. recompute the line's contribution when
  // the payment it names settles), or count pending lines on their own and drop the payment's executed contribution
  // once a pending line for it exists.
  it('the cash position, too, with pending lines naming payments [former DEFECT 7]', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarioArbitrary(true).chain((scenario) => fc.tuple(fc.constant(scenario), deliveryArbitrary(scenario))),
        async ([scenario, shuffled]) => {
          const inOrder = await replay(scenario, stepsOf(scenario).flat());
          const reordered = await replay(scenario, shuffled);
          expect(reordered.cash).toEqual(inOrder.cash);
        },
      ),
      { numRuns: 300, seed: 2_611 },
    );
  });

  // Over-payments (former DEFECT 6). A settled payment keeps what it settled: a later credit naming it is a
  // duplicate_payment, never applied (API.md, Reconciliation). So when credits add up to more than the amount,
  // which of them is applied depends, by contract, on which came first: £300 due, £100 then £300 settles 400
  // (over-paid, amount_mismatch); £300 then £100 settles 300 and leaves £100 unapplied. What must not depend on the
  // order: each payment's status, and the money named to it, applied or left unapplied for a person — none lost,
  // none counted twice.
  it('also when credits add up to more than the amount: the same statuses, and the same money per payment, applied or unapplied', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarioArbitrary(false).chain((scenario) => fc.tuple(fc.constant(scenario), deliveryArbitrary(scenario))),
        async ([scenario, shuffled]) => {
          const inOrder = await replayWorld(scenario, stepsOf(scenario).flat());
          const reordered = await replayWorld(scenario, shuffled);
          expect(await moneyPerPayment(reordered)).toEqual(await moneyPerPayment(inOrder));
          // Whatever was applied came from the credits naming the payment.
          for (const state of await paymentStates(reordered)) {
            const credits = scenario.reports.filter((report) => report.kind === 'credit' && scenario.payments[report.payment]?.id === state.id);
            const total = credits.reduce((sum, report) => sum + (report.kind === 'credit' ? report.part : 0), 0);
            expect(state.amountSettled).toBeLessThanOrEqual(total);
          }
        },
      ),
      { numRuns: 300, seed: 2_612 },
    );
  });

  it('identical credits for one payment, in any order: settled once for its amount, every other one a duplicate_payment', async () => {
    await fc.assert(
      fc.asyncProperty(
        generatedReferenceArbitrary,
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 2, max: 6 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
        async (reference, amount, copies, keys) => {
          const scenario: Scenario = { payments: [{ id: 'pay_0', reference, amount }], reports: [] };
          const credits: Step[] = Array.from({ length: copies }, (_, index) => ({ transaction: { id: `b${index}`, reference, amount: money(amount) } }));
          const shuffled = credits.map((step, index) => ({ step, key: keys[index] ?? 0 })).sort((a, b) => a.key - b.key).map(({ step }) => step);
          const world = await replayWorld(scenario, shuffled);
          expect(await paymentStates(world)).toEqual([{ id: 'pay_0', status: 'settled', amount, amountSettled: amount, overpaidBy: 0 }]);
          expect(exceptionsOf(world).map((exception) => [exception.type, exception.candidatePaymentIds])).toEqual(Array.from({ length: copies - 1 }, () => ['duplicate_payment', ['pay_0']]));
          // Whichever came first settled it.
          const first = shuffled[0];
          expect((await world.payments.get(TENANT_ID, 'pay_0'))?.settlement?.transactionIds).toEqual([
            first !== undefined && 'transaction' in first ? (await world.transactions.get(TENANT_ID, CORPUS_ACCOUNT.id, first.transaction.id))?.transaction.id : undefined,
          ]);
          // The cash is real: every copy moved the settled balance.
          expect((await world.cash.get(TENANT_ID, CORPUS_ACCOUNT.id, 'GBP'))?.settledBalance).toBe(CORPUS_ACCOUNT.openingBalance + copies * amount);
        },
      ),
      { numRuns: 200, seed: 2_613 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// (3) Settled amounts are backed by booked money; over-payments are recorded. (4) Cash = opening + booked.

type Action =
  | { readonly kind: 'pay'; readonly payment: number; readonly share: 'due' | 'part' | 'over' | 'amount'; readonly pending: boolean; readonly mangling: Mangling }
  | { readonly kind: 'pay_several'; readonly payments: readonly number[]; readonly exact: boolean }
  | { readonly kind: 'return'; readonly payment: number; readonly exact: boolean }
  | { readonly kind: 'truncated'; readonly payment: number; readonly length: number }
  | { readonly kind: 'redeliver'; readonly back: number }
  | { readonly kind: 'status'; readonly payment: number; readonly status: 'authorised' | 'executed' | 'rejected' }
  | { readonly kind: 'unrelated'; readonly amount: number; readonly cd: CreditDebit };

const actionArbitrary: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant<'pay'>('pay'), payment: fc.nat({ max: 5 }), share: fc.constantFrom<'due' | 'part' | 'over' | 'amount'>('due', 'part', 'over', 'amount'), pending: fc.boolean(), mangling: manglingArbitrary }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant<'pay_several'>('pay_several'), payments: fc.array(fc.nat({ max: 5 }), { minLength: 2, maxLength: 3 }), exact: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant<'return'>('return'), payment: fc.nat({ max: 5 }), exact: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant<'truncated'>('truncated'), payment: fc.nat({ max: 5 }), length: fc.integer({ min: 8, max: 11 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant<'redeliver'>('redeliver'), back: fc.nat({ max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant<'status'>('status'), payment: fc.nat({ max: 5 }), status: fc.constantFrom<'authorised' | 'executed' | 'rejected'>('authorised', 'executed', 'rejected') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant<'unrelated'>('unrelated'), amount: fc.integer({ min: 1, max: 100_000 }), cd: fc.constantFrom<CreditDebit>('credit', 'debit') }) },
);

/** Turns an action into a step against the world as it is now (amounts due, amounts settled). */
const stepFor = async (world: CorpusWorld, payments: readonly PaymentSpec[], action: Action, index: number, history: readonly Step[]): Promise<Step | undefined> => {
  const pick = (n: number) => payments[n % payments.length];
  const stateOf = async (spec: PaymentSpec) => world.payments.get(TENANT_ID, spec.id);
  const indicatorFor = (spec: PaymentSpec, back = false): CreditDebit => ((spec.direction === 'outbound') !== back ? 'debit' : 'credit');
  switch (action.kind) {
    case 'pay': {
      const spec = pick(action.payment);
      const payment = spec === undefined ? undefined : await stateOf(spec);
      if (spec === undefined || payment === undefined) return undefined;
      const owed = Math.max(0, payment.amount - (payment.settlement?.amountSettled ?? 0));
      const amount = { due: owed, part: Math.floor(owed / 2), over: owed + 1 + (index % 7) * 100, amount: payment.amount }[action.share] || 1;
      return {
        transaction: {
          id: `b${index}`,
          reference: mangle(spec.reference, action.mangling),
          amount: formatAmount(amount, spec.currency ?? 'GBP'),
          currency: spec.currency ?? 'GBP',
          cd: indicatorFor(spec),
          status: action.pending ? 'pending' : 'booked',
        },
      };
    }
    case 'pay_several': {
      const specs = [...new Set(action.payments.map((n) => pick(n)))].filter((spec): spec is PaymentSpec => spec !== undefined);
      const states = await Promise.all(specs.map(stateOf));
      const owed = states.reduce((sum, payment) => sum + Math.max(0, (payment?.amount ?? 0) - (payment?.settlement?.amountSettled ?? 0)), 0);
      const first = specs[0];
      if (first === undefined) return undefined;
      return {
        transaction: {
          id: `b${index}`,
          reference: 'RP2611240914327781',
          narrative: specs.map((spec) => spec.reference).join(' '),
          amount: formatAmount((action.exact ? owed : owed + 137) || 1, first.currency ?? 'GBP'),
          currency: first.currency ?? 'GBP',
          cd: indicatorFor(first),
        },
      };
    }
    case 'return': {
      const spec = pick(action.payment);
      const payment = spec === undefined ? undefined : await stateOf(spec);
      if (spec === undefined || payment === undefined) return undefined;
      const settled = payment.settlement?.amountSettled ?? 0;
      return {
        transaction: {
          id: `b${index}`,
          reference: spec.reference,
          narrative: `RETURN ${spec.reference}`,
          amount: formatAmount((action.exact ? settled : settled + 50) || 1, spec.currency ?? 'GBP'),
          currency: spec.currency ?? 'GBP',
          cd: indicatorFor(spec, true),
        },
      };
    }
    case 'truncated': {
      const spec = pick(action.payment);
      if (spec === undefined) return undefined;
      return { transaction: { id: `b${index}`, reference: matchingKey(spec.reference).slice(0, action.length), amount: formatAmount(spec.amount, spec.currency ?? 'GBP'), currency: spec.currency ?? 'GBP', cd: indicatorFor(spec) } };
    }
    case 'redeliver':
      return history[history.length - 1 - (action.back % Math.max(1, history.length))];
    case 'status': {
      const spec = pick(action.payment);
      return spec === undefined ? undefined : { status: { payment: spec.id, status: action.status } };
    }
    case 'unrelated':
      return { transaction: { id: `b${index}`, reference: null, narrative: 'STANDING ORDER RENT', amount: money(action.amount), cd: action.cd } };
  }
};

const bookedListing = (world: CorpusWorld, paymentId: string): number =>
  world.transactions
    .all()
    .filter(({ transaction }) => transaction.status === 'booked' && transaction.reconciliation.paymentIds.includes(paymentId))
    .reduce((sum, { transaction }) => sum + transaction.amount, 0);

describe('property 3: every settled amount is backed by booked money, and every over-payment is recorded', () => {
  it('after any sequence, amountSettled ≤ Σ booked transactions listing the payment; above its amount, overpaidBy shows it and amount_mismatch is open', async () => {
    await fc.assert(
      fc.asyncProperty(paymentsArbitrary(6), fc.array(actionArbitrary, { minLength: 1, maxLength: 25 }), async (payments, actions) => {
        // Prepare
        const world = corpusWorld(payments.map(paymentFrom));
        const history: Step[] = [];
        const initial = new Map((await paymentStates(world)).map((state) => [state.id, state.amountSettled]));
        for (const [index, action] of actions.entries()) {
          // Act
          const step = await stepFor(world, payments, action, index, history);
          if (step === undefined) continue;
          const before = await paymentStates(world);
          await runStep(world, step);
          history.push(step);
          // Assess: this step settled no more than it carried
          const after = await paymentStates(world);
          const increase = after.reduce((sum, state) => sum + Math.max(0, state.amountSettled - settledOf(before, state.id)), 0);
          const carried =
            'transaction' in step && (step.transaction.status ?? 'booked') === 'booked' ? parseBankAmount(step.transaction.amount, step.transaction.currency ?? 'GBP') : 0;
          expect(increase, `step ${index} (${JSON.stringify(step)}) settled ${increase}`).toBeLessThanOrEqual(carried);
          // … and every payment's settled amount is backed and its over-payment recorded
          for (const state of after) {
            const backing = bookedListing(world, state.id) + (initial.get(state.id) ?? 0);
            expect(state.amountSettled, `${state.id} settled ${state.amountSettled}, booked money listing it ${backing}`).toBeLessThanOrEqual(backing);
            if (state.amountSettled > state.amount) {
              expect(state.overpaidBy).toBe(state.amountSettled - state.amount);
              expect(
                exceptionsOf(world).some((exception) => OVERPAYMENT_EXCEPTIONS.has(exception.type) && exception.status === 'open' && exception.candidatePaymentIds.includes(state.id)),
                `${state.id} settled ${state.amountSettled} above ${state.amount} with no open over-payment exception`,
              ).toBe(true);
            } else {
              expect(state.overpaidBy).toBe(0);
            }
          }
        }
      }),
      { numRuns: 300, seed: 3_003 },
    );
  });
});

describe('property 4: the settled cash position is the opening balance plus the booked transactions, always', () => {
  it('through reconciliation and the cash updates, whatever the sequence and redeliveries', async () => {
    await fc.assert(
      fc.asyncProperty(paymentsArbitrary(4), fc.array(actionArbitrary, { minLength: 1, maxLength: 20 }), async (payments, actions) => {
        // Prepare: GBP only, the account's currency
        const gbp = payments.map((payment) => ({ ...payment, currency: 'GBP' }));
        const world = corpusWorld(gbp.map(paymentFrom));
        const history: Step[] = [];
        for (const [index, action] of actions.entries()) {
          // Act
          const step = await stepFor(world, gbp, action, index, history);
          if (step === undefined) continue;
          await runStep(world, step);
          history.push(step);
          // Assess
          const position = await world.cash.get(TENANT_ID, CORPUS_ACCOUNT.id, 'GBP');
          const booked = world.transactions
            .all()
            .filter(({ transaction }) => transaction.status === 'booked')
            .reduce((sum, { transaction }) => sum + signedAmount(transaction), 0);
          expect(position?.settledBalance).toBe(CORPUS_ACCOUNT.openingBalance + booked);
          expect(position?.pendingInbound).toBeGreaterThanOrEqual(0);
          expect(position?.pendingOutbound).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 200, seed: 4_004 },
    );
  });
});

