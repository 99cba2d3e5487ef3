-- The benchmark's app-like rows (text, jsonb, numbers), :rows of them; sized so 3.2M rows ≈ 1.1 GB on disk.
CREATE TABLE IF NOT EXISTS events (id bigint PRIMARY KEY, agent text, kind text, payload jsonb, score double precision, amount numeric(14,2), created timestamptz, note text);
INSERT INTO events
SELECT g, 'agent-' || (g % 997), (ARRAY['discovery','pattern','alert','metric'])[1 + g % 4],
       jsonb_build_object('seq', g, 'vals', jsonb_build_array(g % 13, g % 101, round(random()::numeric, 6)), 'label', md5(g::text), 'ok', g % 3 = 0),
       random() * 1000, (random() * 100000)::numeric(14,2), timestamptz '2026-01-01' + g * interval '7 seconds', repeat(md5((g * 7)::text), 1 + g % 6)
FROM generate_series(1, :rows) g;
CREATE TABLE IF NOT EXISTS agents (id int PRIMARY KEY, name text, config jsonb);
INSERT INTO agents SELECT g, 'agent-' || g, jsonb_build_object('model', 'm' || (g % 5), 'limits', jsonb_build_array(g, g * 2)) FROM generate_series(0, 996) g;
ANALYZE;
