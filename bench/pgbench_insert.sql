-- pgbench ceiling: the same attendance row the API stores, one per transaction (autocommit),
-- at the server's durability (synchronous_commit on). Variables: :users (set with -D users=N).
-- Its client_id is unique as the API's are (the transaction's id: one per INSERT here), so the
-- UNIQUE (user_id, client_id) index does the same work as for the service's rows.
\set uid random(1, :users)
INSERT INTO attendances (user_id, school_id, "timestamp", type, temperature, client_id, inserted_at)
VALUES (:uid, 1, now() - interval '800 days', 'checkin', 36.6, 'pgbench-' || txid_current(), now());
