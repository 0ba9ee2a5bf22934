-- The recording rules (DESIGN.md section 4) checked on the attendances a database holds. SQLite
-- knows no time zones, so a user's events are grouped by the local day their generated client id
-- names (dgSEED-SCHOOL-USER-YYYYMMDD-N; the server checked that day against the school's zone
-- when the events came through the API). Events with other client ids can't be placed: they are
-- counted apart and not checked. Every count before the three figures at the end (those events,
-- the events checked, the user-days left checked in) is a violation and must be 0.
WITH events AS (
  SELECT a.id, a.user_id, a.type, a."timestamp", a.temperature, s.school_days, u.enrolled_on,
         CASE WHEN a.client_id GLOB 'dg[0-9]*-[0-9]*-[0-9]*-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9]*'
              THEN substr(a.client_id, length(rtrim(a.client_id, '0123456789')) - 8, 8) END AS named_day
  FROM attendances a JOIN schools s ON s.id = a.school_id JOIN users u ON u.id = a.user_id),
placed AS (
  SELECT *, substr(named_day, 1, 4) || '-' || substr(named_day, 5, 2) || '-' || substr(named_day, 7, 2) AS local_day
  FROM events),
ordered AS (
  SELECT *, lag(type) OVER day AS previous_type, lag("timestamp") OVER day AS previous_at,
            row_number() OVER day AS n, lead(id) OVER day AS next_id,
            -- ISO weekday, 7 for Sunday, as school_days has it
            CASE strftime('%w', local_day) WHEN '0' THEN '7' ELSE strftime('%w', local_day) END AS weekday
  FROM placed WHERE named_day IS NOT NULL
  WINDOW day AS (PARTITION BY user_id, named_day ORDER BY "timestamp", id))
SELECT coalesce(sum(n = 1 AND type <> 'checkin'), 0) AS first_not_a_checkin,
       coalesce(sum(previous_type = type), 0) AS not_alternating,
       coalesce(sum(previous_at >= "timestamp"), 0) AS not_after_the_previous,
       coalesce(sum(temperature < 28 OR temperature > 43), 0) AS temperature_out_of_range,
       coalesce(sum("timestamp" > (unixepoch('now') + 300) * 1000000), 0) AS in_the_future,
       coalesce(sum(instr(',' || school_days || ',', ',' || weekday || ',') = 0), 0) AS off_the_school_days,
       coalesce(sum(local_day < enrolled_on), 0) AS before_enrolment,
       (SELECT count(*) FROM events WHERE named_day IS NULL) AS without_a_named_day,
       count(*) AS events,
       coalesce(sum(next_id IS NULL AND type = 'checkin'), 0) AS days_ending_checked_in
FROM ordered;
