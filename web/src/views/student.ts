// A student's page: the month calendar of present / absent days and the check-in / check-out
// times of a chosen day.
//
// The calendar is ONE report: the day series of the month with include=users, narrowed to this
// student by user_id (the server then answers one user row per day instead of the whole
// school's), beside the month's closures (for their reasons). The month's own summary is the
// month report of the same student. The chosen day's times come from GET /api/attendances for
// that user and local day. What each day is called lives in student_status.ts.

import {
  aggregatePeriod, aggregateSeries, getAll, getJson, listClosures, type Attendance, type Closure, type School, type User,
} from '../api';
import { navigate, setHeader, showError, type View } from '../app';
import {
  addDays, addMonths, endOfMonth, formatDay, formatLongDay, formatShortMonth, isoWeekday, localDate, localTime,
  startOfLocalDay, startOfMonth, todayIn, watchLocalDay, type IsoDate,
} from '../dates';
import { focusHeading, h, replaceChildren } from '../dom';
import { whenSchoolCountKnown } from './home';
import { fill, loading } from './sections';
import { dayFacts, dayLabel, describeDay, kDayMarks, monthSummary, type CountedDay, type DayInfo, type DayState } from './student_status';

const kWeekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

// The legend, in the calendar's own marks and styles: never colour alone.
const kLegend: [DayState, string][] = [
  ['present', 'present'],
  ['absent', 'absent'],
  ['in-school-now', 'in school now (today)'],
  ['not-in-school-now', 'not in school now (today)'],
  ['closed', 'school closed'],
  ['no-school', 'no school or not enrolled'],
  ['future', 'not yet'],
];

export const studentView = (schoolId: number, userId: number): View => async (main, ctx) => {
  const { signal, params } = ctx;
  let school: School;
  let user: User;
  try {
    [school, user] = await Promise.all([
      getJson<{ data: School }>(`/api/schools/${schoolId}`, undefined, signal).then((b) => b.data),
      getJson<{ data: User }>(`/api/users/${userId}`, undefined, signal).then((b) => b.data),
    ]);
  } catch (error) {
    if (!signal.aborted) showError(error, ctx);
    return;
  }
  if (user.school_id !== school.id) {
    navigate(`#/schools/${user.school_id}/students/${user.id}`, true);
    return;
  }
  const zone = school.timezone;
  const today = todayIn(zone);
  // At the school's midnight "today" moves on: the calendar and the chosen day are drawn again
  // from the address (see here(), below: today's is the bare one, which then means the new today).
  ctx.onCleanup(watchLocalDay(zone, today, () => ctx.rerender()));
  const requestedDay = params.get('day');
  const requestedMonth = params.get('month');
  const month = startOfMonth(/^\d{4}-\d{2}$/.test(requestedMonth ?? '') ? `${requestedMonth}-01`
    : /^\d{4}-\d{2}-\d{2}$/.test(requestedDay ?? '') ? (requestedDay as string) : today);
  const monthEnd = endOfMonth(month);
  const lastBegun = monthEnd < today ? monthEnd : today;
  let selected: IsoDate = requestedDay && requestedDay.startsWith(month.slice(0, 7)) ? requestedDay
    : today.startsWith(month.slice(0, 7)) ? today : monthEnd < today ? monthEnd : month;

  whenSchoolCountKnown(signal, (multi) => setHeader(school.name,
    [{ href: `#/schools/${schoolId}`, text: 'Dashboard' }, ...(multi ? [{ href: '#/schools', text: 'All schools' }] : [])]));
  document.title = `${user.name} · ${school.name} · Attendance`;
  // The address of a month and a chosen day. Today (or the current month without a day) is the
  // bare address, which follows today: after the school's midnight the redraw, a reload or a
  // shared link show the new today. Any other day stays in the address, and on the page.
  const here = (m: IsoDate, day?: IsoDate): string => {
    const page = `#/schools/${schoolId}/students/${userId}`;
    if (day === today || (!day && m === startOfMonth(today))) return page;
    return `${page}?month=${m.slice(0, 7)}${day ? `&day=${day}` : ''}`;
  };

  const summary = h('p', { class: 'month-summary', 'aria-live': 'polite' }, loading());
  const calendar = h('div', { class: 'calendar-box' }, loading('Loading the month…'));
  const dayBox = h('div', { class: 'day-box' });
  const prev = h('a', { class: 'button small', href: here(addMonths(month, -1)), 'aria-label': `Previous month, ${formatShortMonth(addMonths(month, -1))}` }, '‹ Previous');
  const nextMonth = addMonths(month, 1);
  const next = nextMonth <= today
    ? h('a', { class: 'button small', href: here(nextMonth), 'aria-label': `Next month, ${formatShortMonth(nextMonth)}` }, 'Next ›')
    : h('button', { type: 'button', class: 'button small', disabled: true,
      title: month > today ? 'This month has not begun yet' : 'This is the current month' }, 'Next ›');

  replaceChildren(main,
    h('nav', { class: 'breadcrumbs', 'aria-label': 'Breadcrumbs' },
      h('a', { href: `#/schools/${schoolId}` }, school.name), ' › ', h('span', { 'aria-current': 'page' }, user.name)),
    h('div', { class: 'page-head' },
      h('h1', null, user.name),
      h('p', { class: 'subtitle' }, [user.external_id ? `Card ${user.external_id} · ` : '', `enrolled on ${formatDay(user.enrolled_on)} · time zone ${zone}`].join(''))),
    h('div', { class: 'student-grid' },
    h('section', { class: 'panel', 'aria-labelledby': 'month-title' },
      h('div', { class: 'month-head' }, prev, h('h2', { id: 'month-title' }, formatShortMonth(month)), next),
      summary, calendar,
      h('ul', { class: 'legend', 'aria-label': 'Legend' },
        kLegend.map(([state, text]) => h('li', { 'data-state': state },
          h('span', { class: `swatch ${state}`, 'aria-hidden': 'true' }, state === 'closed' ? '' : kDayMarks[state]), ` ${text}`)))),
    h('section', { class: 'panel', 'aria-labelledby': 'day-title' }, dayBox)));
  focusHeading(main);

  // The month: day series (with the closures) and month summary for this student, in parallel.
  const days = new Map<IsoDate, DayInfo>();
  const loadMonth = (): Promise<[Map<IsoDate, CountedDay>, Closure[]]> => Promise.all([
    lastBegun < month ? new Map<IsoDate, CountedDay>()
      : aggregateSeries(schoolId, { period: 'day', from: month, to: lastBegun, include: 'users', user_id: userId }, signal)
        .then((s) => new Map(s.series.map((c): [IsoDate, CountedDay] => {
          const row = c.users?.find((u) => u.user_id === userId);
          return [c.from, { school_days: c.school_days, ...(row ? { row } : {}) }];
        }))),
    listClosures(schoolId, month, monthEnd, signal),
  ]);

  if (month > today) summary.textContent = monthSummary(undefined, month, today);
  else {
    void fill(summary, signal,
      () => aggregatePeriod(schoolId, { period: 'month', date: month, include: 'users', user_id: userId }, signal),
      (report) => {
        const row = report.users?.find((u) => u.user_id === userId);
        summary.textContent = monthSummary(row, month, today);
        if (row) {
          summary.dataset['presentDays'] = String(row.present_days);
          summary.dataset['schoolDays'] = String(row.school_days);
        }
      });
  }

  const showDay = (date: IsoDate): void => {
    selected = date;
    history.replaceState(null, '', here(month, date));
    calendar.querySelectorAll<HTMLButtonElement>('button[data-date]').forEach((b) => {
      b.setAttribute('aria-pressed', String(b.dataset['date'] === date));
    });
    void renderDay(dayBox, signal, school, userId, today,
      days.get(date) ?? describeDay(date, today, school, user.enrolled_on, undefined, undefined));
  };

  await fill(calendar, signal, loadMonth, ([counted, closures]) => {
    const closed = new Map(closures.map((c) => [c.date, c]));
    for (let d = month; d <= monthEnd; d = addDays(d, 1)) {
      days.set(d, describeDay(d, today, school, user.enrolled_on, counted.get(d), closed.get(d)));
    }
    const grid = h('div', { class: 'calendar', role: 'grid', 'aria-labelledby': 'month-title' });
    grid.appendChild(h('div', { role: 'row', class: 'calendar-row head' },
      kWeekdays.map((w) => h('span', { role: 'columnheader', class: 'weekday' }, w))));
    let cells: HTMLElement[] = [];
    for (let i = 1; i < isoWeekday(month); i += 1) cells.push(h('span', { role: 'gridcell', class: 'day blank' }));
    const flush = (): void => {
      grid.appendChild(h('div', { role: 'row', class: 'calendar-row' }, cells));
      cells = [];
    };
    for (let d = month; d <= monthEnd; d = addDays(d, 1)) {
      const info = days.get(d) as DayInfo;
      const label = dayLabel(info);
      const button = h('button', {
        type: 'button', class: `day ${info.state}`, 'data-date': d, 'data-state': info.state,
        'aria-pressed': String(d === selected), 'aria-label': `${formatLongDay(d)}: ${label}`, title: label,
        disabled: info.state === 'future',
      },
      h('span', { class: 'day-number' }, String(Number(d.slice(8)))),
      h('span', { class: 'day-mark', 'aria-hidden': 'true' }, kDayMarks[info.state]));
      button.addEventListener('click', () => showDay(d));
      cells.push(h('span', { role: 'gridcell' }, button));
      if (isoWeekday(d) === 7) flush();
    }
    if (cells.length > 0) flush();
    // Arrow keys move between days, as in a date picker.
    grid.addEventListener('keydown', (event) => {
      const target = event.target as HTMLElement;
      const date = target.dataset['date'];
      if (!date) return;
      const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 }[event.key];
      if (step === undefined) return;
      const nextButton = grid.querySelector<HTMLButtonElement>(`button[data-date="${addDays(date, step)}"]:not([disabled])`);
      if (nextButton) {
        event.preventDefault();
        nextButton.focus();
      }
    });
    replaceChildren(calendar, grid);
    calendar.dataset['ready'] = 'true';
  });
  if (!signal.aborted) showDay(selected);
};

async function renderDay(box: HTMLElement, signal: AbortSignal, school: School, userId: number, today: IsoDate,
  info: DayInfo): Promise<void> {
  const zone = school.timezone;
  const heading = h('h2', { id: 'day-title' }, formatDay(info.date));
  const facts = h('p', { class: 'day-facts' }, dayFacts(info, school, today));
  const list = h('div', { class: 'day-events' }, loading('Loading check-ins…'));
  facts.dataset['state'] = info.state;
  replaceChildren(box, heading, facts, list);
  // A day to come (a planned closure too) has nothing recorded yet.
  if (info.date > today) {
    replaceChildren(list);
    return;
  }
  await fill(list, signal,
    () => getAll<Attendance>('/api/attendances',
      { user_id: userId, from: startOfLocalDay(info.date, zone), to: startOfLocalDay(addDays(info.date, 1), zone) }, signal),
    (events) => {
      const ofDay = events.filter((e) => localDate(e.timestamp, zone) === info.date)
        .sort((a, b) => a.timestamp.localeCompare(b.timestamp));
      // Today's sentence can now say since when the student is in, or when they left.
      facts.textContent = dayFacts(info, school, today, ofDay);
      replaceChildren(list, ofDay.length === 0
        ? h('p', { class: 'empty' }, 'No check-in or check-out on this day.')
        : h('table', { class: 'list events-table' },
          h('caption', { class: 'visually-hidden' }, `Check-ins and check-outs on ${formatDay(info.date)}`),
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col' }, 'Event'), h('th', { scope: 'col' }, 'Temperature'))),
          h('tbody', null, ofDay.map((e) => h('tr', { 'data-event': e.type },
            h('td', null, h('time', { datetime: e.timestamp }, localTime(e.timestamp, zone))),
            h('td', null, e.type === 'checkin' ? 'Check-in' : 'Check-out'),
            h('td', null, `${e.temperature.toFixed(1)} °C`, e.fever && h('span', { class: 'badge-fever' }, ' fever')))))));
    });
}
