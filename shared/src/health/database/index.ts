// Sub-barrel of the health probes' database checks (moved from action-health, shared with action-incident).
export { checkDatabase, CHECK_APPLICATION_NAME, type CheckDatabaseOptions } from './check-database.js';
export {
  DATABASE_CHECK_IDS,
  DEFAULT_CACHE_HIT_POLICY,
  type CacheHitPolicy,
  type DatabaseThresholds
} from './classify-database.js';
// The route itself (DatabaseRoute, aimClientConfig, readDatabaseRoute, openDatabaseRoute) is the core's database/route.ts.
export { checkDatabaseThroughSsh } from './check-through-ssh.js';
export { presentQuery, QUERY_TEXT_MAX } from './query-text.js';
