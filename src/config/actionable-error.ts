/**
 * An error whose message already tells the user what went wrong and what to do
 * (bad config, missing tool). Entrypoints print its message without a stack trace;
 * anything else is a bug and keeps its stack.
 */
export class ActionableError extends Error {
  override name = 'ActionableError';
}
