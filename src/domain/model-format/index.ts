export * from './linear-model.js';
export * from './predict.js';
