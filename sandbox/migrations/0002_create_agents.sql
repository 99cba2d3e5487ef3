-- Agents and the patterns they found.
CREATE TABLE agents (
  id bigserial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  last_seen timestamptz
);
ALTER TABLE patterns ADD COLUMN agent_id bigint REFERENCES agents (id);
