-- Lookups of an agent's patterns (pending in the sandbox: the demo shows it as not yet applied).
CREATE INDEX patterns_agent_id_idx ON patterns (agent_id);
