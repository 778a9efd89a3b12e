import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ValidationError } from '../../../../shared/domain/errors';
import { type Alignment, type Period, windowAt } from '../../../../shared/domain/mandates/periods';
import { parseBankAmount } from '../../../../shared/domain/money';
import type { ObieVersion } from '../spec-validator';
import { type FasterPaymentsScheme, submitToScheme } from './scheme';
import type { BankState, StoredAccessToken, StoredConsent, StoredPayment } from './state';
import { type ObErrorCode, SORT_CODE_SCHEME, consentStatus, paymentStatus, sortCodeAccount } from './wire';

/**
 * The v4.0 Variable Recurring Payments API of a mock bank (specs/v4.0/vrp-openapi.json, servers `/pisp`):
 * `domestic-vrp-consents` (POST, GET, DELETE), `.../funds-confirmation` (POST) and `domestic-vrps` (POST, GET). The bank
 * holds the payer to the consent's ControlParameters itself (MaximumIndividualAmount, PeriodicLimits in their
 * windows, ValidFrom/ValidTo), as a real ASPSP must: a payment over them is refused (400), never executed.
 * The request was validated against the spec by the bank before it gets here (bank.ts serveResource).
 */

export interface VrpReply {
  readonly status: number;
  readonly body?: unknown;
}

/** What the bank lends the VRP API: its token, signature and idempotency checks, its state and the scheme. */
export interface VrpHost {
  readonly id: string;
  readonly apiVersion: ObieVersion;
  readonly resourceBaseUrl: string;
  readonly state: BankState;
  readonly scheme: FasterPaymentsScheme;
  save(): void;
  bearer(request: IncomingMessage, kind: 'client' | 'psu' | 'any', scopes: readonly string[]): StoredAccessToken;
  checkSignature(request: IncomingMessage, rawBody: string): Promise<void>;
  idempotent(request: IncomingMessage, operation: string, rawBody: string, produce: () => Promise<VrpReply>): Promise<VrpReply>;
  consentOf(consentId: string, kind: StoredConsent['kind']): StoredConsent;
  /** A refusal in the OB error shape; `violation` when the client broke a rule. */
  refuse(status: number, code: ObErrorCode, message: string, violation: boolean, path?: string): Error;
}

export const VRP_OPERATIONS = ['domesticVrpConsentsPost', 'domesticVrpConsentsGet', 'domesticVrpConsentsDelete', 'domesticVrpConsentsFundsConfirmation', 'domesticVrpPost', 'domesticVrpGet'] as const;
export const isVrpOperation = (operationId: string): boolean => (VRP_OPERATIONS as readonly string[]).includes(operationId);

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const recordOf = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isRecord(value)) return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
  return JSON.stringify(value);
};
const PERIOD_OF: Readonly<Record<string, Period>> = { Day: 'day', Week: 'week', Fortnight: 'fortnight', Month: 'month', 'Half-year': 'half-year', Year: 'year' };
const ALIGNMENT_OF: Readonly<Record<string, Alignment>> = { Consent: 'consent', Calendar: 'calendar' };

export class MockVrpApi {
  constructor(private readonly host: VrpHost) {}

  async operate(operationId: string, request: IncomingMessage, url: URL, rawBody: string, body: unknown): Promise<VrpReply> {
    const segments = url.pathname.slice(new URL(this.host.resourceBaseUrl).pathname.length).split('/').filter((s) => s !== '');
    // `/pisp/domestic-vrp-consents/{ConsentId}[/funds-confirmation]`, `/pisp/domestic-vrps/{DomesticVRPId}`.
    const resourceId = segments[2] ?? '';
    switch (operationId) {
      case 'domesticVrpConsentsPost':
        return this.createConsent(request, rawBody, recordOf(body));
      case 'domesticVrpConsentsGet':
        this.host.bearer(request, 'client', ['payments']);
        return { status: 200, body: this.consentJson(this.host.consentOf(resourceId, 'domestic-vrp')) };
      case 'domesticVrpConsentsDelete': {
        // The TPP revokes the consent: its tokens then meet 403 and no payment is taken under it (status checked).
        this.host.bearer(request, 'client', ['payments']);
        const consent = this.host.consentOf(resourceId, 'domestic-vrp');
        consent.status = 'revoked';
        consent.statusUpdateDateTime = new Date().toISOString();
        this.host.save();
        return { status: 204 };
      }
      case 'domesticVrpConsentsFundsConfirmation':
        return this.fundsConfirmation(request, rawBody, resourceId, recordOf(body));
      case 'domesticVrpPost':
        return this.createVrp(request, rawBody, recordOf(body));
      case 'domesticVrpGet': {
        this.host.bearer(request, 'any', ['payments']);
        const payment = this.host.state.payments[resourceId];
        if (payment === undefined || payment.kind !== 'domestic-vrp') throw this.host.refuse(400, 'UK.OBIE.Resource.NotFound', `no domestic VRP ${resourceId}`, false);
        return { status: 200, body: this.vrpJson(payment) };
      }
      default:
        throw this.host.refuse(400, 'UK.OBIE.Field.Unexpected', `${operationId} is not offered by this mock bank`, false);
    }
  }

  private money(amount: unknown, path: string): number {
    const record = recordOf(amount);
    if (record.Currency !== 'GBP') throw this.host.refuse(400, 'UK.OBIE.Unsupported.Currency', 'Faster Payments moves GBP only', false, `${path}.Currency`);
    try {
      return parseBankAmount(String(record.Amount), 'GBP');
    } catch (error) {
      if (error instanceof ValidationError) throw this.host.refuse(400, 'UK.OBIE.Field.Invalid', error.message, false, `${path}.Amount`);
      throw error;
    }
  }

  private async createConsent(request: IncomingMessage, rawBody: string, body: Record<string, unknown>): Promise<VrpReply> {
    const token = this.host.bearer(request, 'client', ['payments']);
    await this.host.checkSignature(request, rawBody);
    return this.host.idempotent(request, 'vrp-consent', rawBody, async () => {
      const data = recordOf(body.Data);
      const controls = recordOf(data.ControlParameters);
      this.money(controls.MaximumIndividualAmount, 'Data.ControlParameters.MaximumIndividualAmount');
      const limits = Array.isArray(controls.PeriodicLimits) ? controls.PeriodicLimits : [];
      limits.forEach((limit, index) => {
        const record = recordOf(limit);
        this.money(record, `Data.ControlParameters.PeriodicLimits[${index}]`);
        if (record.PeriodType === 'Fortnight' && record.PeriodAlignment === 'Calendar') {
          throw this.host.refuse(400, 'UK.OBIE.Field.Invalid', 'a fortnight has no calendar alignment', true, `Data.ControlParameters.PeriodicLimits[${index}].PeriodAlignment`);
        }
      });
      if (sortCodeAccount(recordOf(data.Initiation).CreditorAccount) === undefined) {
        throw this.host.refuse(400, 'UK.OBIE.Unsupported.AccountIdentifier', `CreditorAccount must be ${SORT_CODE_SCHEME} with 14 digits`, false, 'Data.Initiation.CreditorAccount');
      }
      const now = new Date().toISOString();
      const consent: StoredConsent = {
        consentId: `vrc-${randomUUID()}`,
        kind: 'domestic-vrp',
        clientId: token.clientId,
        status: 'awaiting',
        creationDateTime: now,
        statusUpdateDateTime: now,
        data,
        risk: recordOf(body.Risk),
        accountIds: [],
      };
      this.host.state.consents[consent.consentId] = consent;
      this.host.save();
      return { status: 201, body: this.consentJson(consent) };
    });
  }

  private consentJson(consent: StoredConsent): Record<string, unknown> {
    const debtor = consent.accountIds[0] === undefined ? undefined : this.host.state.accounts[consent.accountIds[0]];
    const validTo = recordOf(consent.data.ControlParameters).ValidToDateTime;
    const expired = consent.status === 'authorised' && typeof validTo === 'string' && Date.parse(validTo) <= Date.now();
    return {
      Data: {
        ...consent.data,
        ConsentId: consent.consentId,
        CreationDateTime: consent.creationDateTime,
        Status: expired ? 'EXPD' : consent.status === 'revoked' ? 'CANC' : consentStatus(this.host.apiVersion, consent),
        StatusUpdateDateTime: consent.statusUpdateDateTime,
        ...(debtor === undefined ? {} : { DebtorAccount: { SchemeName: SORT_CODE_SCHEME, Identification: `${debtor.sortCode}${debtor.accountNumber}`, Name: debtor.name } }),
      },
      Risk: consent.risk,
      Links: { Self: `${this.host.resourceBaseUrl}/pisp/domestic-vrp-consents/${consent.consentId}` },
      Meta: {},
    };
  }

  /** The consent behind a PSU token, authorised and within its validity. */
  private usableConsent(token: StoredAccessToken, consentId: string): StoredConsent {
    if (token.consentId !== consentId) throw this.host.refuse(400, 'UK.OBIE.Resource.ConsentMismatch', 'the access token was issued for another consent', true, 'Data.ConsentId');
    const consent = this.host.consentOf(consentId, 'domestic-vrp');
    if (consent.status !== 'authorised') throw this.host.refuse(400, 'UK.OBIE.Resource.InvalidConsentStatus', `the consent is ${consentStatus(this.host.apiVersion, consent)}, not authorised`, false);
    const controls = recordOf(consent.data.ControlParameters);
    const now = Date.now();
    if (typeof controls.ValidFromDateTime === 'string' && now < Date.parse(controls.ValidFromDateTime)) throw this.host.refuse(400, 'UK.OBIE.Resource.InvalidConsentStatus', 'the consent is not valid yet', false);
    if (typeof controls.ValidToDateTime === 'string' && now >= Date.parse(controls.ValidToDateTime)) throw this.host.refuse(400, 'UK.OBIE.Resource.InvalidConsentStatus', 'the consent has expired', false);
    return consent;
  }

  private debtorOf(consent: StoredConsent) {
    const debtorId = consent.accountIds[0];
    const debtor = debtorId === undefined ? undefined : this.host.state.accounts[debtorId];
    if (debtor === undefined) throw this.host.refuse(400, 'UK.OBIE.Resource.InvalidConsentStatus', 'the consent has no debtor account', false);
    return debtor;
  }

  private async fundsConfirmation(request: IncomingMessage, rawBody: string, consentId: string, body: Record<string, unknown>): Promise<VrpReply> {
    const token = this.host.bearer(request, 'psu', ['payments']);
    await this.host.checkSignature(request, rawBody);
    const data = recordOf(body.Data);
    if (data.ConsentId !== consentId) throw this.host.refuse(400, 'UK.OBIE.Resource.ConsentMismatch', 'Data.ConsentId differs from the path', true, 'Data.ConsentId');
    const consent = this.usableConsent(token, consentId);
    const amount = this.money(data.InstructedAmount, 'Data.InstructedAmount');
    const debtor = this.debtorOf(consent);
    const pendingDebits = debtor.transactions.filter((t) => t.status === 'pending' && t.creditDebit === 'Debit').reduce((sum, t) => sum + t.amountMinor, 0);
    const now = new Date().toISOString();
    return {
      status: 201,
      body: {
        Data: {
          FundsConfirmationId: `vfc-${randomUUID()}`,
          ConsentId: consentId,
          CreationDateTime: now,
          ...(typeof data.Reference === 'string' ? { Reference: data.Reference } : {}),
          FundsAvailableResult: { FundsAvailableDateTime: now, FundsAvailable: debtor.bookedMinor - pendingDebits >= amount ? 'Available' : 'NotAvailable' },
          InstructedAmount: data.InstructedAmount,
        },
      },
    };
  }

  /** The bank's own check of the consent's limits: the instruction plus what was paid in each window. */
  private checkControls(consent: StoredConsent, amount: number): void {
    const controls = recordOf(consent.data.ControlParameters);
    if (amount > this.money(controls.MaximumIndividualAmount, 'Data.ControlParameters.MaximumIndividualAmount')) {
      throw this.host.refuse(400, 'UK.OBIE.Field.Invalid', 'the amount is over the consent MaximumIndividualAmount', false, 'Data.Instruction.InstructedAmount');
    }
    const now = Date.now();
    const anchor = Date.parse(typeof controls.ValidFromDateTime === 'string' ? controls.ValidFromDateTime : consent.statusUpdateDateTime);
    const paid = Object.values(this.host.state.payments).filter((p) => p.kind === 'domestic-vrp' && p.consentId === consent.consentId && p.status !== 'rejected');
    const limits = Array.isArray(controls.PeriodicLimits) ? controls.PeriodicLimits : [];
    for (const limit of limits.map(recordOf)) {
      const period = PERIOD_OF[String(limit.PeriodType)];
      const alignment = ALIGNMENT_OF[String(limit.PeriodAlignment)];
      if (period === undefined || alignment === undefined) continue;
      const window = windowAt(period, alignment, anchor, now);
      const used = paid
        .filter((p) => Date.parse(p.creationDateTime) >= window.start && Date.parse(p.creationDateTime) < window.end)
        .reduce((sum, p) => sum + this.money(recordOf(p.instruction).InstructedAmount, 'Data.Instruction.InstructedAmount'), 0);
      if (used + amount > this.money(limit, 'PeriodicLimits')) {
        throw this.host.refuse(400, 'UK.OBIE.Field.Invalid', `the amount would go over the consent ${String(limit.PeriodType)} limit`, false, 'Data.Instruction.InstructedAmount');
      }
    }
  }

  private async createVrp(request: IncomingMessage, rawBody: string, body: Record<string, unknown>): Promise<VrpReply> {
    const token = this.host.bearer(request, 'psu', ['payments']);
    await this.host.checkSignature(request, rawBody);
    return this.host.idempotent(request, 'vrp', rawBody, async () => {
      const data = recordOf(body.Data);
      const consentId = String(data.ConsentId);
      const consent = this.usableConsent(token, consentId);
      if (canonical(data.Initiation) !== canonical(consent.data.Initiation)) throw this.host.refuse(400, 'UK.OBIE.Resource.ConsentMismatch', 'Data.Initiation differs from the consent', true, 'Data.Initiation');
      if (canonical(body.Risk) !== canonical(consent.risk)) throw this.host.refuse(400, 'UK.OBIE.Resource.ConsentMismatch', 'Risk differs from the consent', true, 'Risk');
      const instruction = recordOf(data.Instruction);
      if (canonical(instruction.CreditorAccount) !== canonical(recordOf(consent.data.Initiation).CreditorAccount)) {
        throw this.host.refuse(400, 'UK.OBIE.Resource.ConsentMismatch', 'Instruction.CreditorAccount differs from the consent', true, 'Data.Instruction.CreditorAccount');
      }
      const amount = this.money(instruction.InstructedAmount, 'Data.Instruction.InstructedAmount');
      this.checkControls(consent, amount);
      const debtor = this.debtorOf(consent);
      const now = new Date().toISOString();
      const payment: StoredPayment = {
        domesticPaymentId: `vrp-${randomUUID()}`,
        kind: 'domestic-vrp',
        consentId,
        clientId: token.clientId,
        status: 'accepted',
        creationDateTime: now,
        statusUpdateDateTime: now,
        initiation: recordOf(data.Initiation),
        instruction,
        debtorAccountId: debtor.accountId,
      };
      this.host.state.payments[payment.domesticPaymentId] = payment;
      submitToScheme(this.host.scheme, this.host, payment, instruction, { minor: amount, currency: 'GBP' });
      this.host.save();
      return { status: 201, body: this.vrpJson(payment) };
    });
  }

  private vrpJson(payment: StoredPayment): Record<string, unknown> {
    const debtor = this.host.state.accounts[payment.debtorAccountId];
    const consent = this.host.state.consents[payment.consentId];
    const reason = payment.statusReason;
    return {
      Data: {
        DomesticVRPId: payment.domesticPaymentId,
        ConsentId: payment.consentId,
        CreationDateTime: payment.creationDateTime,
        Status: paymentStatus(this.host.apiVersion, payment),
        StatusUpdateDateTime: payment.statusUpdateDateTime,
        ...(reason === undefined ? {} : { StatusReason: [{ StatusReasonCode: reason.code, StatusReasonDescription: reason.description }] }),
        Initiation: payment.initiation,
        Instruction: payment.instruction ?? {},
        ...(debtor === undefined ? {} : { DebtorAccount: { SchemeName: SORT_CODE_SCHEME, Identification: `${debtor.sortCode}${debtor.accountNumber}`, Name: debtor.name } }),
      },
      Risk: consent?.risk ?? {},
      Links: { Self: `${this.host.resourceBaseUrl}/pisp/domestic-vrps/${payment.domesticPaymentId}` },
      Meta: {},
    };
  }
}
