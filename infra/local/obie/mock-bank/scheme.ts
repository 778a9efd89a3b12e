import { randomUUID } from 'node:crypto';
import type { ObieVersion } from '../spec-validator';
import { availableMinor, initiationReference, sortCodeAccount } from './wire';
import type { MockBanksState, PendingBooking, StoredAccount, StoredPayment, StoredTransaction } from './state';

/**
 * Now, or a millisecond after the account's latest booking time: booking times are unique within an account, so a
 * booking time is a cursor (the AIS paging moves fromBookingDateTime on, the spec having no page parameter).
 */
const nextBookingTime = (account: StoredAccount): string => {
  const latest = account.transactions.reduce((max, t) => Math.max(max, Date.parse(t.bookingDateTime)), 0);
  return new Date(Math.max(Date.now(), latest + 1)).toISOString();
};

/** What the scheme needs of a member bank: who its customers are, how it shows references, and whom to tell. */
export interface SchemeMember {
  readonly id: string;
  readonly name: string;
  ownsSortCode(sortCode: string): boolean;
  /** The payer's reference as this bank shows it to its own customer. */
  showReference(reference: string): string;
  /** New or changed transactions on one of its accounts. */
  transactionsChanged(accountId: string): void;
  /** A payment it executed changed status. */
  paymentChanged(domesticPaymentId: string): void;
}

export interface Payee {
  readonly sortCode: string;
  readonly accountNumber: string;
  readonly name: string;
}

export interface Transfer {
  readonly payerBankId: string;
  readonly payerAccountId: string;
  readonly payee: Payee;
  readonly amountMinor: number;
  readonly currency: string;
  /** As the payer gave it (the Initiation's reference); each bank shows it its own way. */
  readonly reference: string;
  readonly endToEndIdentification: string;
  readonly payment?: { readonly bankId: string; readonly domesticPaymentId: string };
}

export type TransferOutcome = { readonly accepted: true; readonly fasterPaymentsId: string } | { readonly accepted: false; readonly reason: { readonly code: string; readonly description: string } };

/**
 * The simulated Faster Payments scheme the mock banks share. A transfer puts a pending debit on the payer's account
 * and a pending credit on the payee's (when the payee banks with a member; any other sort code is an outside bank
 * that simply receives the money), then after `bookingDelayMs` books both legs under new transaction ids (same
 * Faster Payments id and end-to-end id) and completes the payment. Bookings still owed survive a restart.
 */
export class FasterPaymentsScheme {
  private readonly members = new Map<string, SchemeMember>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly state: MockBanksState,
    private readonly save: () => void,
    private readonly bookingDelayMs: number,
  ) {}

  join(member: SchemeMember): void {
    this.members.set(member.id, member);
  }

  /** Schedules the bookings a previous run still owed. */
  resume(): void {
    for (const booking of this.state.pendingBookings) this.schedule(booking);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  transfer(transfer: Transfer): TransferOutcome {
    const payer = this.account(transfer.payerBankId, transfer.payerAccountId);
    const payerBank = this.member(transfer.payerBankId);
    if (availableMinor(payer) < transfer.amountMinor) return { accepted: false, reason: { code: 'AM04', description: 'Insufficient funds in the debtor account' } };
    if (transfer.currency !== payer.currency) return { accepted: false, reason: { code: 'AM11', description: `Faster Payments moves ${payer.currency} only` } };
    const payeeMember = [...this.members.values()].find((member) => member.ownsSortCode(transfer.payee.sortCode));
    const payeeAccount =
      payeeMember === undefined
        ? undefined
        : Object.values(this.bankState(payeeMember.id).accounts).find((a) => a.sortCode === transfer.payee.sortCode && a.accountNumber === transfer.payee.accountNumber);
    if (payeeMember !== undefined && payeeAccount === undefined) {
      return { accepted: false, reason: { code: 'AC01', description: 'The creditor account does not exist at the receiving bank' } };
    }
    const fasterPaymentsId = this.nextFasterPaymentsId();
    const legs: PendingBooking['legs'] = [];
    const debit = this.pendingLeg(payer, {
      fasterPaymentsId,
      endToEndIdentification: transfer.endToEndIdentification,
      creditDebit: 'Debit',
      amountMinor: transfer.amountMinor,
      reference: payerBank.showReference(transfer.reference),
      counterparty: { name: transfer.payee.name, sortCode: transfer.payee.sortCode, accountNumber: transfer.payee.accountNumber },
    });
    legs.push({ bankId: payerBank.id, accountId: payer.accountId, pendingTransactionId: debit.transactionId });
    if (payeeMember !== undefined && payeeAccount !== undefined) {
      const credit = this.pendingLeg(payeeAccount, {
        fasterPaymentsId,
        endToEndIdentification: transfer.endToEndIdentification,
        creditDebit: 'Credit',
        amountMinor: transfer.amountMinor,
        reference: payeeMember.showReference(transfer.reference),
        counterparty: { name: payer.name, sortCode: payer.sortCode, accountNumber: payer.accountNumber },
      });
      legs.push({ bankId: payeeMember.id, accountId: payeeAccount.accountId, pendingTransactionId: credit.transactionId });
    }
    this.enqueue({ fasterPaymentsId, dueAt: Date.now() + this.bookingDelayMs, legs, ...(transfer.payment === undefined ? {} : { payment: transfer.payment }) });
    return { accepted: true, fasterPaymentsId };
  }

  /** Money from a bank outside the scheme's members onto a member's account. */
  creditFromOutside(input: { bankId: string; accountId: string; amountMinor: number; reference: string; payer: { name: string; sortCode?: string; accountNumber?: string }; endToEndIdentification?: string }): { fasterPaymentsId: string; pendingTransactionId: string } {
    const member = this.member(input.bankId);
    const account = this.account(input.bankId, input.accountId);
    const fasterPaymentsId = this.nextFasterPaymentsId();
    const credit = this.pendingLeg(account, {
      fasterPaymentsId,
      endToEndIdentification: input.endToEndIdentification ?? 'NOTPROVIDED',
      creditDebit: 'Credit',
      amountMinor: input.amountMinor,
      reference: member.showReference(input.reference),
      counterparty: input.payer,
    });
    this.enqueue({ fasterPaymentsId, dueAt: Date.now() + this.bookingDelayMs, legs: [{ bankId: member.id, accountId: account.accountId, pendingTransactionId: credit.transactionId }] });
    return { fasterPaymentsId, pendingTransactionId: credit.transactionId };
  }

  private enqueue(booking: PendingBooking): void {
    this.state.pendingBookings.push(booking);
    this.save();
    for (const leg of booking.legs) this.member(leg.bankId).transactionsChanged(leg.accountId);
    this.schedule(booking);
  }

  private pendingLeg(account: StoredAccount, leg: Omit<StoredTransaction, 'transactionId' | 'accountId' | 'status' | 'currency' | 'sequence' | 'bookingDateTime'>): StoredTransaction {
    const transaction: StoredTransaction = {
      ...leg,
      bookingDateTime: nextBookingTime(account),
      transactionId: `txn-${randomUUID()}`,
      accountId: account.accountId,
      status: 'pending',
      currency: account.currency,
      sequence: account.transactions.length === 0 ? 1 : Math.max(...account.transactions.map((t) => t.sequence)) + 1,
    };
    account.transactions.push(transaction);
    return transaction;
  }

  private schedule(booking: PendingBooking): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.book(booking.fasterPaymentsId);
    }, Math.max(0, booking.dueAt - Date.now()));
    this.timers.add(timer);
  }

  /** Books every leg under a new transaction id, then completes the payment and tells each bank. */
  private book(fasterPaymentsId: string): void {
    const index = this.state.pendingBookings.findIndex((b) => b.fasterPaymentsId === fasterPaymentsId);
    const booking = this.state.pendingBookings[index];
    if (booking === undefined) return;
    this.state.pendingBookings.splice(index, 1);
    const now = new Date().toISOString();
    for (const leg of booking.legs) {
      const account = this.account(leg.bankId, leg.accountId);
      const position = account.transactions.findIndex((t) => t.transactionId === leg.pendingTransactionId);
      const pending = account.transactions[position];
      if (pending === undefined) continue;
      const bookedAt = nextBookingTime(account);
      account.transactions.splice(position, 1, {
        ...pending,
        transactionId: `txn-${randomUUID()}`,
        status: 'booked',
        bookingDateTime: bookedAt,
        valueDateTime: bookedAt,
        sequence: Math.max(...account.transactions.map((t) => t.sequence)) + 1,
      });
      account.bookedMinor += pending.creditDebit === 'Credit' ? pending.amountMinor : -pending.amountMinor;
    }
    const paymentRef = booking.payment;
    const payment = paymentRef === undefined ? undefined : this.bankState(paymentRef.bankId).payments[paymentRef.domesticPaymentId];
    if (payment !== undefined) {
      payment.status = 'completed';
      payment.statusUpdateDateTime = now;
    }
    this.save();
    for (const leg of booking.legs) this.member(leg.bankId).transactionsChanged(leg.accountId);
    if (paymentRef !== undefined) this.member(paymentRef.bankId).paymentChanged(paymentRef.domesticPaymentId);
  }

  private nextFasterPaymentsId(): string {
    this.state.fasterPaymentsCount += 1;
    const day = new Date().toISOString().slice(2, 10).replace(/-/g, '');
    return `MOCKFP${day}${String(this.state.fasterPaymentsCount).padStart(10, '0')}`;
  }

  private member(bankId: string): SchemeMember {
    const member = this.members.get(bankId);
    if (member === undefined) throw new Error(`No scheme member ${bankId}`);
    return member;
  }

  private bankState(bankId: string): MockBanksState['banks'][string] {
    const bank = this.state.banks[bankId];
    if (bank === undefined) throw new Error(`No state for bank ${bankId}`);
    return bank;
  }

  private account(bankId: string, accountId: string): StoredAccount {
    const account = this.bankState(bankId).accounts[accountId];
    if (account === undefined) throw new Error(`No account ${accountId} at ${bankId}`);
    return account;
  }
}

/**
 * A member bank's stored payment handed to the scheme (a domestic payment, or a VRP payment under its consent), the
 * answer recorded on it: its Faster Payments id, or the rejection and its reason.
 */
export const submitToScheme = (
  scheme: FasterPaymentsScheme,
  bank: { readonly id: string; readonly apiVersion: ObieVersion },
  payment: StoredPayment,
  instruction: Record<string, unknown>,
  amount: { readonly minor: number; readonly currency: string },
): void => {
  const creditor = sortCodeAccount(instruction.CreditorAccount);
  const outcome = scheme.transfer({
    payerBankId: bank.id,
    payerAccountId: payment.debtorAccountId,
    payee: { sortCode: creditor?.sortCode ?? '', accountNumber: creditor?.accountNumber ?? '', name: creditor?.name ?? 'Unknown' },
    amountMinor: amount.minor,
    currency: amount.currency,
    reference: initiationReference(bank.apiVersion, instruction) ?? '',
    endToEndIdentification: String(instruction.EndToEndIdentification),
    payment: { bankId: bank.id, domesticPaymentId: payment.domesticPaymentId },
  });
  if (outcome.accepted) payment.fasterPaymentsId = outcome.fasterPaymentsId;
  else {
    payment.status = 'rejected';
    payment.statusReason = outcome.reason;
  }
};
