// Sample rows for the decision tables: one plausible value of each row type the decisions read
// (a pg_stat_activity session, a pg_index entry, a compose container), each field overridable.
import type { ActivityRow, ServiceContainer } from '../shared/src/index.js';
import type { IndexRow } from '../action-database/src/report/indexes.js';

/** An active client session of the api in a2a_world. */
export function activityRow(over: Partial<ActivityRow> = {}): ActivityRow {
  return {
    pid: 1,
    database: 'a2a_world',
    user: 'a2a_user',
    applicationName: 'api',
    backendType: 'client backend',
    state: 'active',
    backendStart: '1',
    queryStart: '2',
    queryMs: 1000,
    stateMs: 1000,
    superuser: false,
    own: false,
    waitEvent: null,
    query: 'SELECT 1',
    ...over
  };
}

/** A valid one-column btree index on public.patterns, scanned 10 times. */
export function indexRow(over: Partial<IndexRow> = {}): IndexRow {
  return {
    schema: 'public',
    table: 'patterns',
    index: 'idx',
    scans: 10,
    tuplesRead: 0,
    tuplesFetched: 0,
    sizeBytes: 8192,
    unique: false,
    primary: false,
    constraint: false,
    valid: true,
    method: 'btree',
    keys: '2',
    opclasses: '1978',
    collations: '0',
    expressions: null,
    predicate: null,
    definition: 'CREATE INDEX idx ON public.patterns USING btree (x)',
    ...over
  };
}

/** Compose project p's api_1, running and healthy. */
export function serviceContainer(over: Partial<ServiceContainer> = {}): ServiceContainer {
  return {
    id: 'a'.repeat(64),
    name: 'p_api_1',
    project: 'p',
    service: 'api',
    containerNumber: 1,
    oneOff: false,
    image: 'api:v1',
    imageId: 'sha256:x',
    state: 'running',
    running: true,
    health: 'healthy',
    healthFailingStreak: 0,
    exitCode: 0,
    restartCount: 0,
    createdAt: '',
    startedAt: '2026-12-01T10:00:00Z',
    finishedAt: null,
    composeVersion: null,
    networkMode: 'bridge',
    networks: [],
    ports: [],
    labels: {},
    ...over
  };
}
