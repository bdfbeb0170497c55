import pg from 'pg';

const INT8 = 20;
const NUMERIC = 1700;

/**
 * Type parsers for this pool only (never pg's global ones): bigint timestamps in
 * milliseconds and sums come back as numbers. Millisecond epochs and row counts stay far
 * below 2^53, where a JavaScript number is exact.
 */
export const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 || oid === NUMERIC
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};
