import { log } from '@temporalio/activity';

/** Warns through the activity logger when running as an activity; silent when called directly (tests, scripts). */
export function activityWarn(message: string, meta: Record<string, unknown>): void {
  try {
    log.warn(message, meta);
  } catch {
    // not inside an activity
  }
}
