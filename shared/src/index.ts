// The public barrel of the a2a-ops core library. Actions import only from here.
export * from './errors.js';
export * from './secrets.js';
export * from './contract.js';
export * from './inputs.js';
export * from './report/model.js';
export * from './config/types.js';
export * from './ssh/index.js';
export * from './issues/index.js';
export * from './state/types.js';
