-- PostgreSQL's own limit for GET /api/attendances/:id: the server's lookup of one attendance with
-- its school's fever threshold, one id per query (the server asks for several at once under
-- load), with nothing but pgbench around it. Variables: :max_id (-D max_id=N). As for the page,
-- the server asks for a binary result, which pgbench can't.
\set id random(1, :max_id)
SELECT id, user_id, school_id, "timestamp", type, temperature, image_hash, client_id, inserted_at,
       (SELECT fever_threshold FROM schools WHERE schools.id = attendances.school_id)
FROM attendances WHERE id = :id;
