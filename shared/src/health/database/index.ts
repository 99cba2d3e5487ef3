// Sub-barrel of the health probes' database checks (moved from action-health, shared with action-incident).
export { checkDatabase, CHECK_APPLICATION_NAME, type CheckDatabaseOptions } from './check-database.js';
export {
  DATABASE_CHECK_IDS,
  DEFAULT_CACHE_HIT_POLICY,
  type CacheHitPolicy,
  type DatabaseThresholds
} from './classify-database.js';
export { checkDatabaseThroughSsh, aimClientConfig, type DatabaseRoute, type RemoteDatabase } from './check-through-ssh.js';
