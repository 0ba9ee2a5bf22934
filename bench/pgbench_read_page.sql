-- PostgreSQL's own limit for the page of 100: the query the server runs for
-- GET /api/attendances?limit=100&after=N, pages starting all over the table, with nothing but
-- pgbench around it. Variables: :max_id (-D max_id=N). The server asks for the result in binary
-- form (storage/scan.hpp), which pgbench can't; text is the dearer of the two for PostgreSQL.
\set after random(0, :max_id - 100)
SELECT id, user_id, school_id, "timestamp", type, temperature, image_hash, client_id, inserted_at
FROM attendances WHERE id > :after ORDER BY id LIMIT 101;
