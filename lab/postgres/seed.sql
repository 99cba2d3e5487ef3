-- Seed data for the lab's a2a_world database: a few tables shaped like A2A World's, with rows,
-- one index the app uses and one it never does (for the unused-index check).
-- Run by lab/parts/postgres.sh as the application user, so a2a_user owns everything it creates.
CREATE TABLE IF NOT EXISTS agents (
  id         serial PRIMARY KEY,
  name       text NOT NULL UNIQUE,
  kind       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS patterns (
  id          serial PRIMARY KEY,
  agent_id    int NOT NULL REFERENCES agents(id),
  label       text NOT NULL,
  confidence  real NOT NULL,
  discovered  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS tasks (
  id       bigserial PRIMARY KEY,
  agent_id int NOT NULL REFERENCES agents(id),
  status   text NOT NULL,
  payload  jsonb NOT NULL DEFAULT '{}'
);
-- Used: lookups by agent. Never used: nothing filters on confidence.
CREATE INDEX IF NOT EXISTS patterns_agent_id_idx ON patterns(agent_id);
CREATE INDEX IF NOT EXISTS patterns_confidence_unused_idx ON patterns(confidence);

INSERT INTO agents(name, kind)
  SELECT 'agent-' || g, (ARRAY['pattern-discovery','validator','narrator'])[1 + g % 3]
  FROM generate_series(1, 30) g
  ON CONFLICT (name) DO NOTHING;
INSERT INTO patterns(agent_id, label, confidence)
  SELECT 1 + g % 30, 'pattern-' || g, (g % 100) / 100.0 FROM generate_series(1, 2000) g
  WHERE NOT EXISTS (SELECT 1 FROM patterns);
INSERT INTO tasks(agent_id, status)
  SELECT 1 + g % 30, (ARRAY['queued','running','done'])[1 + g % 3] FROM generate_series(1, 5000) g
  WHERE NOT EXISTS (SELECT 1 FROM tasks);
ANALYZE agents, patterns, tasks;
-- Touch the used index so the statistics tell the two apart.
SET enable_seqscan = off;
SELECT count(*) FROM patterns WHERE agent_id = 7;
