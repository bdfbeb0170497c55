import { log } from '@temporalio/activity';

/** Activities of the smoke workflow: enough to prove an activity runs and its log is routed. */
export function createSmokeActivities(deps: { greeting: string }) {
  return {
    async greet(name: string): Promise<string> {
      log.info('smoke activity greeting', { name });
      return `${deps.greeting}, ${name}`;
    },
  };
}
