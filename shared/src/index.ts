// The public barrel of the a2a-ops core library. Actions import only from here.
export * from './errors.js';
export * from './secrets.js';
export * from './contract.js';
export * from './inputs.js';
export * from './report/model.js';
export * from './report/render-markdown.js';
export * from './report/render-console.js';
export * from './config/types.js';
export * from './config/defaults.js';
export * from './config/load-config.js';
export * from './state/types.js';
export * from './state/state-store.js';
export * from './run/types.js';
export * from './run/run-action.js';
export * from './run/guards.js';
export * from './ssh/index.js';
export * from './issues/index.js';
