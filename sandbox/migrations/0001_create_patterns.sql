-- Patterns discovered by the agents.
CREATE TABLE patterns (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  confidence real NOT NULL DEFAULT 0,
  discovered_at timestamptz NOT NULL DEFAULT now()
);
