import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresServingState } from '../../../src/adapters/serving-state/index.js';
import { migrate } from '../../../src/adapters/serving-state/postgres/migrate.js';
import { MIGRATIONS } from '../../../src/adapters/serving-state/postgres/migrations.js';
import { startTempPostgresCluster, type PostgresCluster } from '../../../src/local-server/postgres-cluster.js';
import { expectLiveMetricsMatchRawRows, logSample, RawLog } from './live-metrics-brute-force.js';
import { servingStateContract, T0 } from './serving-state-contract.js';

// A real PostgreSQL 15 server (a private initdb cluster on a free port), one database per test.
let cluster: PostgresCluster;
let databases = 0;
beforeAll(async () => {
  cluster = await startTempPostgresCluster({ prefix: 'ct-pg-contract-', say: () => undefined });
}, 120_000);
afterAll(async () => cluster?.stop(), 60_000);

describe('PostgreSQL serving state: the serving-state contract', () => {
  let url = '';
  servingStateContract({
    async fresh({ now }) {
      url = await cluster.createDatabase(`contract_${++databases}`);
      return PostgresServingState.open({ url, now });
    },
    async connect() {
      return PostgresServingState.open({ url });
    },
    async cleanup() {},
  });
});

describe('PostgreSQL serving state: migrations', () => {
  it('two replicas starting at once on an empty database migrate it once, and a restart applies nothing', async () => {
    const url = await cluster.createDatabase(`migrate_${++databases}`);
    const pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: url, max: 1 }));
    try {
      const applied = await Promise.all(pools.map((p) => migrate(p)));
      expect(applied.flat().sort()).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await migrate(pools[0]!)).toEqual([]);
      const { rows } = await pools[0]!.query('SELECT version FROM ct_schema_migrations ORDER BY version');
      expect(rows.map((r: { version: number }) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('migration 4 fills the live-metrics rollup from the rows logged before it, and keeps it from then on', async () => {
    const url = await cluster.createDatabase(`migrate_${++databases}`);
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    await migrate(
      pool,
      MIGRATIONS.filter((m) => m.version < 4),
    ).finally(() => pool.end());
    const log = new RawLog();
    const before = await PostgresServingState.open({ url, migrate: false });
    await logSample(before, log, { t0: T0, from: 0, to: 300 }).finally(() => before.close());
    const after = await PostgresServingState.open({ url });
    try {
      await logSample(after, log, { t0: T0, from: 300, to: 360, relabel: [0, 3, 6, 9, 12] });
      await expectLiveMetricsMatchRawRows(after, log, {
        modelId: 'sea',
        versions: [1, 2],
        fromMs: T0,
        toMs: T0 + 360 * 700,
        windows: 8,
        seed: 2,
      });
    } finally {
      await after.close();
    }
  });

  it('a failing migration is rolled back whole and named', async () => {
    const url = await cluster.createDatabase(`migrate_${++databases}`);
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      await migrate(pool);
      const broken = { version: 999, name: 'broken on purpose', sql: 'CREATE TABLE half (x int); SELECT nope;' };
      await expect(migrate(pool, [...MIGRATIONS, broken])).rejects.toThrow(
        /migration 999 \(broken on purpose\) failed/,
      );
      const half = await pool.query(`SELECT to_regclass('half') AS t`);
      expect(half.rows[0]).toEqual({ t: null });
    } finally {
      await pool.end();
    }
  });

  it('open() fails with the server’s reason when the database does not exist', async () => {
    await expect(PostgresServingState.open({ url: cluster.url('no_such_db') })).rejects.toThrow(/no_such_db/);
  });
});
