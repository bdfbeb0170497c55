import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as fleet from '../../../src/contracts/fleet-monitor.js';
import * as flywheel from '../../../src/contracts/model-flywheel.js';
import * as monitor from '../../../src/contracts/production-monitor.js';
import * as rollout from '../../../src/contracts/rollout.js';
import * as scheduled from '../../../src/contracts/scheduled-retrain.js';
import * as smoke from '../../../src/contracts/smoke.js';
import * as cycle from '../../../src/contracts/training-cycle.js';

const CONTRACTS_DIR = fileURLToPath(new URL('../../../src/contracts/', import.meta.url));
const DOC = readFileSync(fileURLToPath(new URL('../../../docs/messages.md', import.meta.url)), 'utf8');

/**
 * Each contract module and the workflow it speaks for; null for modules with no messages
 * (message.ts defines the message objects, metrics-sink.ts the workflows' metrics sink).
 */
const MODULES: Record<string, { workflow: string | null; exports: Record<string, unknown> }> = {
  'model-flywheel.ts': { workflow: flywheel.MODEL_FLYWHEEL_WORKFLOW, exports: flywheel },
  'training-cycle.ts': { workflow: cycle.TRAINING_CYCLE_WORKFLOW, exports: cycle },
  'rollout.ts': { workflow: rollout.ROLLOUT_WORKFLOW, exports: rollout },
  'fleet-monitor.ts': { workflow: fleet.FLEET_MONITOR_WORKFLOW, exports: fleet },
  'production-monitor.ts': { workflow: monitor.PRODUCTION_MONITOR_WORKFLOW, exports: monitor },
  'scheduled-retrain.ts': { workflow: scheduled.SCHEDULED_RETRAIN_WORKFLOW, exports: scheduled },
  'smoke.ts': { workflow: smoke.SMOKE_ROUND_TRIP_WORKFLOW, exports: smoke },
  'message.ts': { workflow: null, exports: {} },
  'metrics-sink.ts': { workflow: null, exports: {} },
};

const KINDS = ['signal', 'update', 'query'];
const isMessage = (v: unknown): v is { kind: string; name: string } =>
  typeof v === 'object' && v !== null && KINDS.includes((v as { kind?: string }).kind ?? '') && 'definition' in v;

/** `name kind` of every contract message object of a module. */
const messagesOf = (exports: Record<string, unknown>) =>
  [
    ...new Set(
      Object.values(exports)
        .filter(isMessage)
        .map((m) => `${m.name} ${m.kind}`),
    ),
  ].sort();

/** `name kind` of every table row under the workflow's `## \`<workflow>\`` heading in docs/messages.md. */
function documented(workflow: string): string[] {
  const section = DOC.split(/^## /m).find((s) => s.startsWith(`\`${workflow}\``));
  if (section === undefined) throw new Error(`docs/messages.md has no section "## \`${workflow}\`"`);
  const rows = [...section.matchAll(/^\| `([^`]+)` \| (signal|update|query) \|/gm)].map((m) => `${m[1]} ${m[2]}`);
  return [...new Set(rows)].sort();
}

describe('docs/messages.md, the reference of every signal, query and update', () => {
  it('covers every contract module', () => {
    expect(
      readdirSync(CONTRACTS_DIR)
        .filter((f) => f.endsWith('.ts'))
        .sort(),
    ).toEqual(Object.keys(MODULES).sort());
  });

  for (const [file, { workflow, exports }] of Object.entries(MODULES)) {
    if (workflow === null) continue;
    it(`lists exactly the messages of ${file} under ${workflow}`, () => {
      expect(documented(workflow)).toEqual(messagesOf(exports));
    });
  }
});
