import { ActionableError } from '../config/actionable-error.js';

/** A tool the project needs could not be found or built; the message says what to install. */
export class ProvisionError extends ActionableError {
  override name = 'ProvisionError';
}
