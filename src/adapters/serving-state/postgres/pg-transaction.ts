import type pg from 'pg';

/**
 * Runs `fn` on one pooled connection inside a transaction opened with `begin` (e.g. `BEGIN`, or
 * `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY` for one consistent read): commits on success,
 * rolls back on any error and always releases the connection.
 */
export async function inTransaction<T>(pool: pg.Pool, begin: string, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query(begin);
    const result = await fn(c);
    await c.query('COMMIT');
    return result;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}
