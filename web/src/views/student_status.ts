// What the student page says about a day and a month, from the API's rows (pure: no DOM, no
// requests). A day that is over gets a verdict, present or absent. Today is still in progress,
// so it gets what is known so far instead: a student who went home at 08:38 may come back, and
// one in school now counts as present only while there until the time in school passes
// min_daily_hours (DESIGN.md section 5). Days without school say why: a closure (with its
// reason, planned ones too) or a weekday that is not a school day; days still to come say
// "not yet".

import type { AggregateUserRow, Attendance, Closure, School } from '../api';
import { formatDuration, isoWeekday, localTime, startOfMonth, type IsoDate } from '../dates';

export type DayState =
  | 'present' | 'absent'                       // a verdict: the day is over, or past min_daily_hours
  | 'in-school-now' | 'not-in-school-now'      // today, not past min_daily_hours yet
  | 'closed' | 'no-school' | 'not-enrolled'    // not a school day for this student
  | 'future';                                  // a school day still to come

export interface DayInfo { date: IsoDate; state: DayState; row?: AggregateUserRow; closure?: Closure }

// What the day series says of one date: its school_days (0 or 1) and this student's row, if any.
export interface CountedDay { school_days: number; row?: AggregateUserRow }

const kWeekdayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

// counted: the series' entry for `date`, absent for dates after the last one asked (days to come).
export function describeDay(date: IsoDate, today: IsoDate, school: School, enrolledOn: IsoDate,
  counted: CountedDay | undefined, closure: Closure | undefined): DayInfo {
  const row = counted?.row;
  const info = (state: DayState): DayInfo => ({ date, state, ...(row ? { row } : {}), ...(closure ? { closure } : {}) });
  if (closure) return info('closed');
  if (date < enrolledOn) return info('not-enrolled');
  if (!school.school_days.includes(isoWeekday(date))) return info('no-school');
  if (date > today) return info('future');
  if (!counted || counted.school_days === 0 || !row) {
    // Today, a school day and not closed, yet not counted: the server's clock has not reached the
    // school's midnight that the page's has (they can differ by a moment). Nothing recorded yet.
    return info(date === today ? 'not-in-school-now' : 'no-school');
  }
  if (date !== today) return info(row.present ? 'present' : 'absent');
  if (row.present && secondsOf(row) > school.min_daily_hours * 3600) return info('present');
  // The API's `present` of today means "checked in at this moment" until the hours are reached.
  return info(row.present ? 'in-school-now' : 'not-in-school-now');
}

const secondsOf = (row: AggregateUserRow): number => row.seconds ?? 0;

// The mark drawn in the calendar cell beside the day's number; the legend explains each.
export const kDayMarks: Record<DayState, string> = {
  present: '✓',
  absent: '✗',
  'in-school-now': '●',
  'not-in-school-now': '…',
  closed: 'closed',
  'no-school': '',
  'not-enrolled': '',
  future: '',
};

// The few words a calendar cell is read as (its accessible name after the date, and its tooltip).
export function dayLabel(info: DayInfo): string {
  const seconds = info.row ? secondsOf(info.row) : 0;
  switch (info.state) {
    case 'in-school-now': return `in school now, ${formatDuration(seconds)} so far`;
    case 'not-in-school-now': return seconds > 0 ? `not in school now, ${formatDuration(seconds)} so far` : 'not in school yet';
    case 'closed': return info.closure?.reason ? `school closed: ${info.closure.reason}` : 'school closed';
    case 'no-school': return 'no school';
    case 'not-enrolled': return 'not enrolled';
    case 'future': return 'not yet';
    default: return info.state;
  }
}

// The sentence about the chosen day. events: that day's check-ins and check-outs in time order,
// once loaded; today's sentence then names when the student came or left.
export function dayFacts(info: DayInfo, school: School, today: IsoDate, events?: Attendance[]): string {
  const row = info.row;
  const last = events?.at(-1);
  const lastAt = last ? localTime(last.timestamp, school.timezone) : undefined;
  const inProgress = info.date === today;
  switch (info.state) {
    case 'future': return 'This day has not come yet.';
    case 'not-enrolled': return 'Not enrolled yet on this day.';
    case 'closed': return info.closure?.reason ? `School closed: ${info.closure.reason}` : 'School closed (no reason given).';
    case 'no-school': {
      const weekday = isoWeekday(info.date);
      return school.school_days.includes(weekday) ? 'No school on this day.'
        : `No school on this day: ${kWeekdayNames[weekday - 1]}s are not school days.`;
    }
    default: break;
  }
  // No row: today not counted yet by the server (describeDay).
  if (info.state === 'not-in-school-now' && (!row || secondsOf(row) === 0)) return 'Not in school yet today';
  if (!row) return '';
  const soFar = `${formatDuration(secondsOf(row))} so far`;
  if (info.state === 'in-school-now') {
    return [last?.type === 'checkin' ? `In school now since ${lastAt}` : 'In school now', soFar,
      `present for the day after more than ${school.min_daily_hours} h`].join(' · ');
  }
  if (info.state === 'not-in-school-now') {
    return [last?.type === 'checkout' ? `Checked out at ${lastAt}` : 'Not in school now', soFar].join(' · ');
  }
  const parts = [info.state === 'present' ? 'Present' : 'Absent', `${formatDuration(secondsOf(row))} in school${inProgress ? ' so far' : ''}`];
  if (inProgress && last?.type === 'checkin') parts.push(`in school now since ${lastAt}`);
  if (row.missing_checkout) parts.push('no check-out recorded (counted up to the end of the day)');
  return parts.join(' · ');
}

// The sentence above the calendar. row: the month report's row for the student (none when the
// month has no school day for them). Only the current month is "so far"; its today counts too,
// as absent until the student arrives.
export function monthSummary(row: AggregateUserRow | undefined, month: IsoDate, today: IsoDate): string {
  const current = month === startOfMonth(today);
  if (month > today) return 'This month has not begun yet.';
  if (!row) return `Not counted this month (no school days since enrollment${current ? ' so far' : ''}).`;
  const days = `${row.school_days} school day${row.school_days === 1 ? '' : 's'}`;
  const verdict = row.present ? 'present' : 'absent';
  return current
    ? `Present on ${row.present_days} of ${days} so far, today included: ${verdict} for the month so far.`
    : `Present on ${row.present_days} of ${days}: ${verdict} for the month.`;
}
