import type { CheckStatus, GateReason, ReasonCode } from './gate-result.js';

/** Formats a number for a reason message: short, but never hides a small difference. */
export const fmt = (x: number | null | undefined): string => {
  if (x === null || x === undefined || Number.isNaN(x)) return 'n/a';
  if (Number.isInteger(x)) return String(x);
  const abs = Math.abs(x);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? x.toExponential(3) : String(Number(x.toFixed(4)));
};

/** Float comparisons in the gate forgive rounding noise, never a real shortfall. */
export const EPSILON = 1e-12;

export const reason = (
  code: ReasonCode,
  status: CheckStatus,
  message: string,
  observed: number | null,
  limit: number | null,
  subject?: string,
): GateReason => ({
  code,
  status,
  passed: status !== 'failed',
  message,
  observed: observed !== null && Number.isFinite(observed) ? observed : null,
  limit,
  ...(subject === undefined ? {} : { subject }),
});
