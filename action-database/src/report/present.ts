// How durations, sizes and query texts appear in this action's logs and tables: the core's formatters,
// under one name each, so every operation prints them alike.
export { formatBytes, formatDuration as describeDuration, presentQuery } from '../../../shared/src/index.js';
