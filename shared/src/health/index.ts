// Health probes more than one action runs: the read-only database check and the NATS greeting (moved from
// action-health so action-incident runs the same probes), and the one-line flattening of untrusted text.
export * from './database/index.js';
export { checkNats, checkNatsMonitor, parseNatsUrl, type NatsTarget } from './nats/check-nats.js';
export { oneLine } from './one-line.js';
export { describeNetworkError } from './network-error.js';
