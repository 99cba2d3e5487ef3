-- A little A2A World data, so a backup has something to carry and a restore drill something to count.
CREATE TABLE patterns (
  id            serial PRIMARY KEY,
  name          text NOT NULL UNIQUE,
  kind          text NOT NULL,
  confidence    numeric(4, 3) NOT NULL CHECK (confidence BETWEEN 0 AND 1),
  discovered_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO patterns (name, kind, confidence, discovered_at) VALUES
  ('request-reply',         'messaging',    0.970, '2024-01-05 10:00:00+00'),
  ('publish-subscribe',     'messaging',    0.940, '2024-01-06 11:30:00+00'),
  ('task-delegation',       'coordination', 0.880, '2024-02-14 09:15:00+00'),
  ('consensus-vote',        'coordination', 0.715, '2024-03-01 16:45:00+00'),
  ('capability-discovery',  'discovery',    0.902, '2024-03-20 08:00:00+00'),
  ('heartbeat-gossip',      'discovery',    0.655, '2024-04-02 12:10:00+00'),
  ('retry-with-backoff',    'resilience',   0.990, '2024-04-18 07:05:00+00');
