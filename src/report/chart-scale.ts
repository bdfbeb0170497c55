/** Linear map from a data domain onto a pixel range. */
export interface Scale {
  (value: number): number;
  readonly domain: readonly [number, number];
}

export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  const scale = (value: number): number => r0 + ((value - d0) / span) * (r1 - r0);
  return Object.assign(scale, { domain });
}

/** A "nice" tick step (1, 2, 5 × 10^k) giving about `target` ticks over `span`. */
export function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const magnitude = 10 ** Math.floor(Math.log10(raw || 1));
  const nice = [1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10;
  return nice * magnitude;
}

/** Tick values from the first multiple of `step` at or above `from` up to `to`. */
export function ticks(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = Math.ceil(from / step - 1e-9) * step; v <= to + 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

/** Seconds as `45s` or `2m05s` for the time axis. */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** A time on the report's axis: `2m05s` for seconds, `w12` for windows (whose tMs is window × 1000). */
export function formatTime(tMs: number, unit: 'seconds' | 'windows'): string {
  return unit === 'windows' ? `w${Math.round(tMs / 1000)}` : formatSeconds(tMs / 1000);
}

/** Lower bound of the accuracy axis: a tenth below the lowest point, never under 0. */
export function accuracyFloor(values: readonly number[]): number {
  const lowest = values.length ? Math.min(...values) : 0.5;
  return Math.max(0, Math.floor((lowest - 0.05) * 10) / 10);
}
