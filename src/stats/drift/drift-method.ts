/** The per-column drift methods. A `const` object with a derived union, not an enum. */
export const DriftMethod = {
  ks: 'ks',
  chiSquare: 'chi-square',
  zTest: 'z-test',
  psi: 'psi',
  jensenShannon: 'jensen-shannon',
  wassersteinNormed: 'wasserstein-normed',
} as const;
export type DriftMethod = (typeof DriftMethod)[keyof typeof DriftMethod];

/** Methods whose verdict is a p-value (drift when p < threshold); the others are distances (drift when ≥). */
export const P_VALUE_METHODS: ReadonlySet<DriftMethod> = new Set([
  DriftMethod.ks,
  DriftMethod.chiSquare,
  DriftMethod.zTest,
]);

/** Evidently's default thresholds: p < 0.05 for tests, ≥ 0.1 for PSI, JS and normed Wasserstein. */
export const DEFAULT_THRESHOLDS: Readonly<Record<DriftMethod, number>> = {
  ks: 0.05,
  'chi-square': 0.05,
  'z-test': 0.05,
  psi: 0.1,
  'jensen-shannon': 0.1,
  'wasserstein-normed': 0.1,
};

export const isDriftMethod = (v: unknown): v is DriftMethod => Object.values(DriftMethod).includes(v as DriftMethod);
