import type { z } from 'zod';

/**
 * Why an update's validator refused it, as a code a client can branch on (the message is
 * for people and may be reworded). Every validator — `approve`/`reject` on a cycle,
 * `updatePolicy` on a flywheel — refuses with one of these.
 */
export const RefusalCode = {
  /** A field of the payload does not parse; `field` names it. */
  invalidPayload: 'invalidPayload',
  /** The flywheel has no model spec yet, so a policy alone cannot apply. */
  noSpec: 'noSpec',
  /** The spec (sent, or after merging the change) does not parse; `field` names the first bad field. */
  invalidSpec: 'invalidSpec',
  /** The approval names another cycle than the one it was sent to. */
  wrongCycle: 'wrongCycle',
  /** The cycle has not reached its approval step. */
  notPending: 'notPending',
  /** The cycle was already approved or rejected. */
  alreadyAnswered: 'alreadyAnswered',
  /** The sender is not one of the approval policy's approvers. */
  notApprover: 'notApprover',
} as const;
export type RefusalCode = (typeof RefusalCode)[keyof typeof RefusalCode];

/** A validator's refusal: the code, the field it concerns (when one does) and the sentence a user reads. */
export interface UpdateRefusal {
  readonly code: RefusalCode;
  readonly field?: string;
  readonly message: string;
}

/** The details an `UpdateRefused` failure carries: what a client reads instead of parsing the message. */
export type UpdateRefusalDetails = Pick<UpdateRefusal, 'code' | 'field'>;

/** The dotted path of the first zod issue, or undefined when the payload as a whole is wrong. */
export function firstIssueField(error: z.ZodError): string | undefined {
  const path = error.issues[0]?.path.join('.');
  return path ? path : undefined;
}
