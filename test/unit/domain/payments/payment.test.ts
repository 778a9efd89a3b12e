import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../../shared/domain/errors';
import {
  assertTransition,
  canTransition,
  isOpen,
  OPEN_STATUSES,
  PAYMENT_STATUSES,
  type PaymentStatus,
  statusAfterBankReport,
} from '../../../../shared/domain/payments/payment';

const TERMINAL: readonly PaymentStatus[] = ['failed', 'expired'];

describe('payment status machine', () => {
  it.each(OPEN_STATUSES)('lets a booked transaction settle a %s payment, fully or in part', (from) => {
    // Act + Assess
    expect(canTransition(from, 'settled')).toBe(true);
    expect(canTransition(from, 'partially_settled')).toBe(true);
  });

  it.each(TERMINAL)('lets nothing leave %s', (from) => {
    // Act
    const reachable = PAYMENT_STATUSES.filter((to) => canTransition(from, to));
    // Assess
    expect(reachable).toEqual([]);
  });

  it('lets a returned payment be paid again, and nothing else', () => {
    const reachable = PAYMENT_STATUSES.filter((to) => canTransition('returned', to));
    expect(reachable).toEqual(['settled', 'partially_settled']);
  });

  it('only lets a settled payment be returned', () => {
    // Act
    const reachable = PAYMENT_STATUSES.filter((to) => canTransition('settled', to));
    // Assess
    expect(reachable).toEqual(['returned']);
  });

  it('never goes back to an earlier stage', () => {
    // Assess
    expect(canTransition('executed', 'authorised')).toBe(false);
    expect(canTransition('authorised', 'authorisation_required')).toBe(false);
    expect(canTransition('partially_settled', 'executed')).toBe(false);
    expect(canTransition('settled', 'partially_settled')).toBe(false);
  });

  it('counts exactly the statuses a transaction can still settle as open', () => {
    // Act
    const open = PAYMENT_STATUSES.filter((status) => isOpen({ status }));
    // Assess
    expect(open).toEqual(['authorisation_required', 'authorised', 'executed', 'partially_settled', 'returned']);
  });

  it('refuses a forbidden transition with a 409 invalid_state_transition', () => {
    // Act
    const act = () => assertTransition({ id: 'pay_1', status: 'failed' }, 'settled');
    // Assess
    expect(act).toThrow(ConflictError);
    expect(act).toThrow(expect.objectContaining({ code: 'invalid_state_transition' }));
    expect(() => assertTransition({ id: 'pay_1', status: 'executed' }, 'settled')).not.toThrow();
  });
});

describe('statusAfterBankReport', () => {
  it.each<[PaymentStatus, 'authorised' | 'executed' | 'rejected', PaymentStatus]>([
    ['authorisation_required', 'authorised', 'authorised'],
    ['authorisation_required', 'executed', 'executed'],
    ['authorised', 'executed', 'executed'],
    ['authorisation_required', 'rejected', 'failed'],
    ['authorised', 'rejected', 'failed'],
    ['executed', 'rejected', 'failed'],
  ])('moves a %s payment reported %s to %s', (current, reported, expected) => {
    // Act + Assess
    expect(statusAfterBankReport(current, reported)).toBe(expected);
  });

  it.each<[PaymentStatus, 'authorised' | 'executed' | 'rejected']>([
    ['settled', 'executed'],
    ['settled', 'authorised'],
    ['partially_settled', 'executed'],
    ['executed', 'executed'],
    ['executed', 'authorised'],
    ['authorised', 'authorised'],
    ['settled', 'rejected'],
    ['failed', 'rejected'],
    ['failed', 'executed'],
    ['expired', 'authorised'],
  ])('ignores a %s payment reported %s (already further on, or a repeat)', (current, reported) => {
    // Act + Assess
    expect(statusAfterBankReport(current, reported)).toBeUndefined();
  });
});
