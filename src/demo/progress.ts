/** Progress lines with the time since the demo started: `[  42.1s] monitor  …`. */
export function createPrinter(startedAtMs: number): (line: string) => void {
  return (line: string) => {
    const t = ((Date.now() - startedAtMs) / 1000).toFixed(1).padStart(6);
    process.stdout.write(`[${t}s] ${line}\n`);
  };
}

export function heading(text: string): void {
  process.stdout.write(`\n== ${text}\n`);
}
