-- PostgreSQL's own limit for the page of 100: the query the server runs for
-- GET /api/attendances?limit=100&after=N (instants read as exact microseconds), pages starting
-- all over the table, with nothing but pgbench around it. Variables: :max_id (-D max_id=N).
\set after random(0, :max_id - 100)
SELECT id, user_id, school_id, CAST(EXTRACT(EPOCH FROM "timestamp") * 1000000 AS bigint), type, temperature,
       image_hash, client_id, CAST(EXTRACT(EPOCH FROM inserted_at) * 1000000 AS bigint)
FROM attendances WHERE id > :after ORDER BY id LIMIT 101;
