import type { RoutingTable } from '../domain/records/routing.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { LoadedModel, ModelLoader } from '../adapters/model-formats/model-loader.js';
import { Arm, routesToCanary } from './traffic-split.js';

/**
 * One arm of a routing table as the predict route uses it, built once per table read: the
 * version, its metric labels, and its loaded model once it has loaded.
 */
export interface ServedArm {
  readonly arm: Arm;
  readonly version: number;
  /** `version` as the metrics' label value. */
  readonly versionLabel: string;
  readonly requestLabels: { readonly model: string; readonly version: string; readonly arm: Arm };
  readonly latencyLabels: { readonly model: string; readonly version: string };
  /** The loader's answer once the version has loaded (used while its scorer is not released). */
  loaded: Extract<LoadedModel, { ok: true }> | undefined;
}

export interface ServedRoute {
  readonly table: RoutingTable;
  readonly champion: ServedArm;
  readonly canary: ServedArm | undefined;
}

/**
 * The routing tables the gateway serves, resolved once per table read instead of once per
 * request: the routing-revision gauge, the loader's retention of routed versions, each
 * arm's label strings and label objects are all per table. A table is re-read at most
 * every `routingRefreshMs`, so this is a few resolutions per second at most.
 */
export class ServedRoutes {
  private readonly resolved = new WeakMap<RoutingTable, ServedRoute>();

  constructor(
    private readonly models: ModelLoader,
    private readonly metrics: GatewayMetrics,
  ) {}

  of(table: RoutingTable): ServedRoute {
    let route = this.resolved.get(table);
    if (!route) {
      this.metrics.routingRevision.set({ model: table.modelId }, table.revision);
      this.models.retainRouted(table);
      route = {
        table,
        champion: servedArm(table.modelId, Arm.champion, table.championVersion),
        canary: table.canary ? servedArm(table.modelId, Arm.canary, table.canary.version) : undefined,
      };
      this.resolved.set(table, route);
    }
    return route;
  }

  /** The arm that answers one request (see traffic-split.ts). */
  pick(route: ServedRoute, requestKey: string | undefined, random?: () => number): ServedArm {
    return route.canary && routesToCanary(route.table, route.table.modelId, requestKey, random)
      ? route.canary
      : route.champion;
  }
}

function servedArm(model: string, arm: Arm, version: number): ServedArm {
  const versionLabel = String(version);
  return {
    arm,
    version,
    versionLabel,
    requestLabels: { model, version: versionLabel, arm },
    latencyLabels: { model, version: versionLabel },
    loaded: undefined,
  };
}
