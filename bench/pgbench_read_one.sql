-- PostgreSQL's own limit for GET /api/attendances/:id: the server's lookup of one attendance with
-- its school's fever threshold, one id per query (the server asks for several at once under
-- load), with nothing but pgbench around it. Variables: :max_id (-D max_id=N).
\set id random(1, :max_id)
SELECT id, user_id, school_id, CAST(EXTRACT(EPOCH FROM "timestamp") * 1000000 AS bigint), type, temperature,
       image_hash, client_id, CAST(EXTRACT(EPOCH FROM inserted_at) * 1000000 AS bigint),
       (SELECT fever_threshold FROM schools WHERE schools.id = attendances.school_id)
FROM attendances WHERE id = :id;
