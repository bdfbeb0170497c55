export { createGateway, type GatewayDeps, type GatewayHandle, type GatewayOptions } from './create-gateway.js';
export type { PredictionLogEntry, PredictionLogSink, RoutingSource, ServingRegistry } from './gateway-ports.js';
export { GatewayMetrics } from './gateway-metrics.js';
export { FeedbackBodySchema, PredictBodySchema, type FeedbackBody, type PredictBody } from './request-schemas.js';
export { Arm, chooseArm, stickyPosition } from './traffic-split.js';
