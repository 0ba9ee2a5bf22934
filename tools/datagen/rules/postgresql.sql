-- The recording rules (DESIGN.md section 4) checked on the attendances a database holds, each
-- user's events grouped by the local day of their school's own time zone. Every count but the
-- last two is a violation and must be 0 (check-rules.sh exits 1 otherwise).
WITH events AS (
  SELECT a.id, a.user_id, a.type, a."timestamp", a.temperature, s.school_days, u.enrolled_on,
         (a."timestamp" AT TIME ZONE s.timezone)::date AS local_day,
         -- the generator's client ids end in the local day: dgSEED-SCHOOL-USER-YYYYMMDD-N
         CASE WHEN a.client_id ~ '^dg[0-9]+-[0-9]+-[0-9]+-[0-9]{8}-[0-9]+$'
              THEN to_date(split_part(a.client_id, '-', 4), 'YYYYMMDD') END AS named_day
  FROM attendances a JOIN schools s ON s.id = a.school_id JOIN users u ON u.id = a.user_id),
ordered AS (
  SELECT *, lag(type) OVER day AS previous_type, lag("timestamp") OVER day AS previous_at,
            row_number() OVER day AS n, lead(id) OVER day AS next_id
  FROM events WINDOW day AS (PARTITION BY user_id, local_day ORDER BY "timestamp", id))
SELECT count(*) FILTER (WHERE n = 1 AND type <> 'checkin') AS first_not_a_checkin,
       count(*) FILTER (WHERE previous_type = type) AS not_alternating,
       count(*) FILTER (WHERE previous_at >= "timestamp") AS not_after_the_previous,
       count(*) FILTER (WHERE temperature < 28 OR temperature > 43) AS temperature_out_of_range,
       count(*) FILTER (WHERE "timestamp" > now() + interval '5 minutes') AS in_the_future,
       count(*) FILTER (WHERE NOT extract(isodow FROM local_day)::text = ANY (string_to_array(school_days, ',')))
         AS off_the_school_days,
       count(*) FILTER (WHERE local_day < enrolled_on) AS before_enrolment,
       count(*) FILTER (WHERE named_day IS DISTINCT FROM local_day AND named_day IS NOT NULL) AS not_on_its_named_day,
       count(*) AS events,
       count(*) FILTER (WHERE next_id IS NULL AND type = 'checkin') AS days_ending_checked_in
FROM ordered;
