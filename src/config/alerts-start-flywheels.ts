/**
 * Environment switch that lets the alert webhook of `flywheel up` start a flywheel for a
 * model that has none (signal-with-start; it then waits for a spec). Off unless exactly
 * `true`: by default a typo in an alert's `model` label is rejected instead of creating one.
 */
export const START_FLYWHEELS_ENV = 'CT_ALERTS_START_FLYWHEELS';

export function startFlywheelsFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[START_FLYWHEELS_ENV] === 'true';
}
