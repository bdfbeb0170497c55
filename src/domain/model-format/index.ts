export * from './linear-model.js';
export * from './predict.js';
export * from './model-description.js';
export * from './onnx-contract.js';
export * from './onnx-feeds.js';
export * from './scorer.js';
