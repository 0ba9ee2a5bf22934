#pragma once
// The hand-written SQL baseline of aggregate_bench: one query computing a school's present and
// absent counts for a month straight from the tables, with the rules of DESIGN.md section 5:
//   - an event's day is its school-local date; a day's time in school is the sum of its
//     check-in -> next event intervals (LEAD over the user's events of that day, ordered by time);
//     a check-in that is the day's last event counts to the end of the day (missing check-out);
//   - present on a day: that time is more than min_daily_hours (compared in whole microseconds,
//     like the engine's llround(hours * 3.6e9));
//   - the month's school days: its dates whose ISO weekday is in school_days, minus closures;
//     a user counts the school days from enrolled_on on, and is counted (total) when that is > 0;
//   - present for the month: present_days * 1e6 > round(min_period_ratio * 1e6) * counted days.
// Like the engine it ignores nothing but it assumes the stored days alternate check-in,
// check-out, ... (what the recording rules store and what the bench generates): a stray repeated
// event would be paired differently here than by the engine.
//
// SQLite has no time zones, so the SQLite query buckets days in UTC (integer microseconds / 86400e6)
// and is only valid for a school whose zone is UTC: the measured school of the bench is one.
// The PostgreSQL query is zone-correct (AT TIME ZONE the school's zone, DST days included).
// Both use the (school_id, timestamp) index for the month's range.

#include <string_view>

namespace attendance::bench {

// Parameters, in this order: school, first day number, last day number (days since 1970-01-01),
// school, school, school, from (µs since epoch), to (µs, exclusive).
inline constexpr std::string_view kSqliteMonthCounts = R"SQL(
WITH RECURSIVE
settings AS MATERIALIZED (
  SELECT school_days,
         CAST(ROUND(min_daily_hours * 3600000000) AS INTEGER) AS min_micros,
         CAST(ROUND(min_period_ratio * 1000000) AS INTEGER) AS ratio_ppm
  FROM schools WHERE id = :school1),
days(d) AS (SELECT CAST(:first_day AS INTEGER) UNION ALL SELECT d + 1 FROM days WHERE d < :last_day),
school_days AS MATERIALIZED (
  SELECT d FROM days, settings
  WHERE (',' || settings.school_days || ',') LIKE ('%,' || (((d + 3) % 7) + 1) || ',%')
    AND d NOT IN (SELECT CAST(julianday("date") - 2440587.5 AS INTEGER) FROM closures WHERE school_id = :school2)),
enrolled AS MATERIALIZED (
  SELECT id AS user_id, CAST(julianday(enrolled_on) - 2440587.5 AS INTEGER) AS since
  FROM users WHERE school_id = :school3),
events AS (
  SELECT user_id, type, "timestamp" AS ts, "timestamp" / 86400000000 AS d,
         LEAD("timestamp") OVER (PARTITION BY user_id, "timestamp" / 86400000000 ORDER BY "timestamp") AS next_ts
  FROM attendances
  WHERE school_id = :school4 AND "timestamp" >= :from AND "timestamp" < :to),
daily AS (
  SELECT user_id, d, SUM(COALESCE(next_ts, (d + 1) * 86400000000) - ts) AS micros
  FROM events WHERE type = 'checkin' GROUP BY user_id, d),
present AS (
  SELECT dl.user_id, COUNT(*) AS n
  FROM daily dl JOIN school_days sd ON sd.d = dl.d JOIN enrolled e ON e.user_id = dl.user_id
  WHERE dl.d >= e.since AND dl.micros > (SELECT min_micros FROM settings)
  GROUP BY dl.user_id),
per_user AS (
  SELECT (SELECT COUNT(*) FROM school_days sd WHERE sd.d >= e.since) AS counted, COALESCE(p.n, 0) AS present_days
  FROM enrolled e LEFT JOIN present p ON p.user_id = e.user_id)
SELECT COALESCE(SUM(CASE WHEN present_days * 1000000 > (SELECT ratio_ppm FROM settings) * counted THEN 1 ELSE 0 END), 0),
       COALESCE(SUM(CASE WHEN present_days * 1000000 > (SELECT ratio_ppm FROM settings) * counted THEN 0 ELSE 1 END), 0)
FROM per_user WHERE counted > 0
)SQL";

// Parameters, in this order: school, first date, last date ("YYYY-MM-DD"), school, school,
// school, first date, school, last date, school.
inline constexpr std::string_view kPostgresqlMonthCounts = R"SQL(
WITH settings AS MATERIALIZED (
  SELECT timezone,
         CAST(string_to_array(school_days, ',') AS int[]) AS weekdays,
         CAST(ROUND(CAST(min_daily_hours * 3600000000 AS numeric)) AS bigint) AS min_micros,
         CAST(ROUND(CAST(min_period_ratio * 1000000 AS numeric)) AS bigint) AS ratio_ppm
  FROM schools WHERE id = :school1),
school_days AS MATERIALIZED (
  SELECT CAST(g AS date) AS d
  FROM settings, generate_series(CAST(:first1 AS date), CAST(:last1 AS date), INTERVAL '1 day') AS g
  WHERE CAST(EXTRACT(ISODOW FROM g) AS int) = ANY (settings.weekdays)
    AND CAST(g AS date) NOT IN (SELECT "date" FROM closures WHERE school_id = :school2)),
enrolled AS MATERIALIZED (
  SELECT id AS user_id, enrolled_on AS since FROM users WHERE school_id = :school3),
events AS (
  SELECT a.user_id, a.type, a."timestamp" AS ts,
         CAST(a."timestamp" AT TIME ZONE s.timezone AS date) AS d
  FROM attendances a, settings s
  WHERE a.school_id = :school4
    AND a."timestamp" >= (SELECT CAST(CAST(:first2 AS date) AS timestamp) AT TIME ZONE timezone FROM schools WHERE id = :school5)
    AND a."timestamp" < (SELECT CAST(CAST(:last2 AS date) + 1 AS timestamp) AT TIME ZONE timezone FROM schools WHERE id = :school6)),
paired AS (
  SELECT user_id, type, ts, d, LEAD(ts) OVER (PARTITION BY user_id, d ORDER BY ts) AS next_ts FROM events),
daily AS (
  SELECT p.user_id, p.d,
         SUM(EXTRACT(EPOCH FROM COALESCE(p.next_ts, CAST(p.d + 1 AS timestamp) AT TIME ZONE s.timezone) - p.ts) * 1000000) AS micros
  FROM paired p, settings s WHERE p.type = 'checkin' GROUP BY p.user_id, p.d),
present AS (
  SELECT dl.user_id, COUNT(*) AS n
  FROM daily dl JOIN school_days sd ON sd.d = dl.d JOIN enrolled e ON e.user_id = dl.user_id
  WHERE dl.d >= e.since AND dl.micros > (SELECT min_micros FROM settings)
  GROUP BY dl.user_id),
per_user AS (
  SELECT (SELECT COUNT(*) FROM school_days sd WHERE sd.d >= e.since) AS counted, COALESCE(p.n, 0) AS present_days
  FROM enrolled e LEFT JOIN present p ON p.user_id = e.user_id)
SELECT CAST(COALESCE(SUM(CASE WHEN present_days * 1000000 > (SELECT ratio_ppm FROM settings) * counted THEN 1 ELSE 0 END), 0) AS bigint),
       CAST(COALESCE(SUM(CASE WHEN present_days * 1000000 > (SELECT ratio_ppm FROM settings) * counted THEN 0 ELSE 1 END), 0) AS bigint)
FROM per_user WHERE counted > 0
)SQL";

}  // namespace attendance::bench
