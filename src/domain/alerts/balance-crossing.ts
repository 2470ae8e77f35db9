/**
 * Low-balance alerting as a small state machine per account: an alert fires when
 * the balance crosses below the threshold, not on every check while it stays
 * below, and the alarm re-arms once the balance has recovered. The actual
 * balance outranks the projection: while the money is already short, an early
 * warning would only repeat it.
 */
export type BalanceAlertKind = 'low_balance' | 'projected_low_balance';

export interface BalanceAlarmState {
  /** A low_balance alert has fired for the current crossing. */
  actualBelow: boolean;
  /** A projected_low_balance alert has fired for the current crossing. */
  projectedBelow: boolean;
}

export interface BalanceReading {
  balance: bigint;
  projected: bigint;
  /** No threshold: nothing to watch, and any alarm in force is stood down. */
  threshold?: bigint;
}

export interface BalanceDecision {
  next: BalanceAlarmState;
  raise: BalanceAlertKind[];
  resolve: BalanceAlertKind[];
}

export const ARMED: BalanceAlarmState = { actualBelow: false, projectedBelow: false };

export function decideBalanceAlerts(state: BalanceAlarmState, r: BalanceReading): BalanceDecision {
  const raise: BalanceAlertKind[] = [];
  const resolve: BalanceAlertKind[] = [];
  const actualLow = r.threshold !== undefined && r.balance < r.threshold;
  const projectedLow = r.threshold !== undefined && r.projected < r.threshold;
  const next = { ...state };

  if (actualLow && !state.actualBelow) raise.push('low_balance');
  if (!actualLow && state.actualBelow) resolve.push('low_balance');
  next.actualBelow = actualLow;

  if (actualLow) {
    // Superseded by the actual alert; stood down so a later recovery of the
    // balance alone (with the projection still short) warns again.
    if (state.projectedBelow) resolve.push('projected_low_balance');
    next.projectedBelow = false;
  } else if (projectedLow && !state.projectedBelow) {
    raise.push('projected_low_balance');
    next.projectedBelow = true;
  } else if (!projectedLow && state.projectedBelow) {
    resolve.push('projected_low_balance');
    next.projectedBelow = false;
  }
  return { next, raise, resolve };
}
