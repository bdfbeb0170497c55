/** A bad backtest input: names the option (or spec field) at fault, so the CLI can say which. */
export class BacktestInputError extends Error {
  override name = 'BacktestInputError';
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
  }
}
