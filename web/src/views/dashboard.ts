// A school's dashboard. Every number shown is one the API answered (docs/dashboard.md maps each
// tile and chart to its request). All requests start at once: the ones that need no date right
// away, the ones that need the school's "today" as soon as the school (its time zone) arrives.

import {
  HttpError, aggregatePath, aggregatePeriod, aggregateSeries, getAll, getJson, listClosures, request, withQuery,
  type AggregateCounts, type AggregatePeriod, type AggregateSeries, type AggregateUserRow, type Attendance, type FeverEvent,
  type School, type User,
} from '../api';
import { setHeader, setLiveStatus, showError, showExpired, toast, type View, type ViewContext } from '../app';
import { dailyChart, rateChart, type ChartHandle } from '../charts';
import {
  addDays, addMonths, formatDay, formatDayRange, formatDuration, formatShortMonth, localTime, startOfLocalDay, startOfMonth,
  now, todayIn, watchLocalDay, type IsoDate,
} from '../dates';
import { focusHeading, formatCount, formatRate, h, replaceChildren } from '../dom';
import { searchKey, searchMatcher } from '../search';
import { LiveStream, type StreamState } from '../stream';
import { whenSchoolCountKnown } from './home';
import { coalesce, fill, loading } from './sections';

// Chronic absence: absent on at least this share of the school days of the window...
const kChronicRatio = 0.1;
// ...with at least this many school days enrolled in it...
const kChronicMinDays = 10;
// ...over this many days, ending yesterday (today is still in progress).
const kChronicWindowDays = 60;
const kRosterShown = 50;
const kChronicShown = 25;
// The tiles are asked again at most once a second while attendance events arrive (1 s after the
// first event of a burst): three reports per refresh, for every open dashboard.
const kRefreshMs = 1000;

interface Tile { root: HTMLElement; value: HTMLElement; sub: HTMLElement; badge: HTMLElement | null; label: string }

// kind: 'live' tiles follow the stream (their badge tells its state); 'so-far' tiles show a
// period in progress (this week, this month), which today's late arrivals still pull down.
function tile(id: string, label: string, kind: 'live' | 'so-far' | null = null): Tile {
  const value = h('p', { class: 'tile-value' }, '…');
  const sub = h('p', { class: 'tile-sub' }, '');
  const badge = kind === 'live' ? h('span', { class: 'badge-live', 'aria-hidden': 'true' }, 'live') : null;
  const root = h('div', { class: `tile${kind === 'live' ? ' tile-live' : ''}`, 'data-tile': id, role: 'group' },
    h('h3', { class: 'tile-label' }, label, badge), value, sub);
  const t = { root, value, sub, badge, label };
  markSoFar(t, kind === 'so-far');
  return t;
}

// A tile "so far" (its badge, dashed border and accessible name) or not. Today's present and
// absent are so far while today is a school day: until midnight a student not in yet counts
// as absent. A day without school has no verdict to come, so they are not.
function markSoFar(t: Tile, soFar: boolean): void {
  t.root.classList.toggle('tile-so-far', soFar);
  t.root.setAttribute('aria-label', soFar ? `${t.label} so far` : t.label);
  const heading = t.root.querySelector('.tile-label');
  const badge = heading?.querySelector('.badge-so-far');
  if (soFar && !badge) heading?.append(h('span', { class: 'badge-so-far' }, 'so far'));
  if (!soFar) badge?.remove();
}

// An in-page link that moves the focus (the router owns the hash, so no #fragment navigation):
// to `target()`, or to the section's heading while the target is not there yet.
function jumpLink(text: string, section: string, target: () => HTMLElement | null = () => null): HTMLElement {
  const link = h('a', { href: `#${section}`, class: 'jump-link' }, text);
  link.addEventListener('click', (event) => {
    event.preventDefault();
    const to = target() ?? document.querySelector<HTMLElement>(`#${section} h2`);
    if (!to) return;
    if (!to.matches('input, a, button, select')) to.tabIndex = -1;
    to.focus();
  });
  return link;
}

function setTile(t: Tile, display: string, sub: string, data: Record<string, number>): void {
  t.value.textContent = display;
  t.sub.textContent = sub;
  for (const [k, v] of Object.entries(data)) t.root.dataset[k] = String(v);
  t.root.dataset['ready'] = 'true';
}

// `day`: the day chosen on the student's page (its month is the one shown); default today.
export function studentHref(schoolId: number, userId: number, day?: IsoDate): string {
  return `#/schools/${schoolId}/students/${userId}${day ? `?day=${day}` : ''}`;
}

export const dashboardView = (schoolId: number): View => async (main, ctx) => {
  const { signal } = ctx;
  let multi = false;
  let headerName = '';
  const header = (): void => setHeader(headerName, multi ? [{ href: '#/schools', text: 'All schools' }] : []);
  whenSchoolCountKnown(signal, (m) => {
    multi = m;
    header();
  });

  // ---- Skeleton, shown at once ----
  const title = h('h1', { id: 'school-title' }, 'Loading school…');
  const subtitle = h('p', { class: 'subtitle' });
  const notice = h('div', { class: 'notices' });
  const tiles = {
    now: tile('checked-in-now', 'Checked in now', 'live'),
    present: tile('present-today', 'Present today'),
    absent: tile('absent-today', 'Absent today'),
    week: tile('week-rate', 'This week', 'so-far'),
    month: tile('month-rate', 'This month', 'so-far'),
    fever: tile('fever-today', 'Fever alerts today', 'live'),
  };
  const tilesError = h('div', { class: 'tiles-error' });
  const absentList = h('div', { class: 'absent-list', id: 'absent-today-list' });
  const feverList = h('div', { class: 'fever-list' }, loading());
  const charts = h('div', { class: 'charts' });
  const chronic = h('div', { class: 'chronic' }, loading('Loading the last 60 days…'));
  const roster = h('div', { class: 'roster' }, loading('Loading students…'));
  const reports = h('div', { class: 'reports' });

  replaceChildren(main,
    h('div', { class: 'page-head' }, title, subtitle,
      // The first stops of the Tab order: the student search is otherwise some 35 stops down.
      h('nav', { class: 'jump-links', 'aria-label': 'On this page' },
        jumpLink('Find a student', 'students', () => document.getElementById('roster-search')),
        jumpLink('Trends', 'trends'), jumpLink('Chronic absence', 'chronic'), jumpLink('Download a report', 'reports'))),
    notice,
    h('section', { class: 'panel', 'aria-labelledby': 'overview-title' },
      h('h2', { id: 'overview-title', class: 'visually-hidden' }, 'Today at a glance'),
      h('div', { class: 'tiles' }, Object.values(tiles).map((t) => t.root)), tilesError,
      h('p', { class: 'hint tiles-hint' }, 'Tiles marked so far are of a day, week or month in progress: until the day is over, students who have not arrived yet today count as absent.'),
      absentList),
    h('section', { class: 'panel', 'aria-labelledby': 'fever-title', id: 'fever' },
      h('h2', { id: 'fever-title' }, 'Fever alerts today'), feverList),
    h('section', { class: 'panel', 'aria-labelledby': 'trends-title', id: 'trends' },
      h('h2', { id: 'trends-title' }, 'Trends'), charts),
    h('section', { class: 'panel', 'aria-labelledby': 'chronic-title', id: 'chronic' },
      h('h2', { id: 'chronic-title' }, 'Chronic absence'),
      h('p', { class: 'hint' }, `Students absent on ${kChronicRatio * 100} % or more of their school days in the last ${kChronicWindowDays} days (ending yesterday), with at least ${kChronicMinDays} school days enrolled. Worst first.`),
      chronic),
    h('section', { class: 'panel', 'aria-labelledby': 'roster-title', id: 'students' },
      h('h2', { id: 'roster-title' }, 'Students'), roster),
    h('section', { class: 'panel', 'aria-labelledby': 'reports-title', id: 'reports' },
      h('h2', { id: 'reports-title' }, 'Download a report'), reports));
  focusHeading(main);

  // ---- Requests that need no date: start now ----
  const schoolP = getJson<{ data: School }>(`/api/schools/${schoolId}`, undefined, signal).then((b) => b.data);
  // Card numbers beside names (three students may share one name): from the roster.
  let cards = new Map<number, string | null>();
  const fetchRoster = (): Promise<User[]> => getAll<User>('/api/users', { school_id: schoolId }, signal).then((users) => {
    cards = new Map(users.map((u) => [u.id, u.external_id]));
    return users;
  });
  const usersP = fetchRoster();
  usersP.catch(() => {});   // handled where it is shown; this only marks it handled meanwhile
  const cardsP = usersP.then(() => cards, () => cards);
  const withCard = (userId: number, name: string, href: string, card = cards.get(userId)): (Node | string)[] =>
    [h('a', { href }, name), card ? h('span', { class: 'card-number', 'data-card': card }, ` (${card})`) : ''];
  let occupancyAt = 0;   // when the last occupancy event arrived (newer than any report started before it)

  // The school's today (its time zone, the server's clock: dates.ts now()), once the school is
  // known. Every dated request of the page uses it, the tiles' included: one page, one day. At the
  // school's midnight it moves, and everything dated is asked again (watchLocalDay, below).
  let today: IsoDate | null = null;
  let dayReport: AggregateCounts | null = null;
  let onDayReport: (day: AggregateCounts) => void = () => {};

  const loadTiles = (): Promise<void> => {
    const started = performance.now();
    const asked = today;   // null before the school arrives: then the server's today
    const q = (period: string, include?: string) => aggregatePeriod(schoolId, { period, date: asked, include }, signal);
    // While the absent list is open, the day report with users serves both (its counts are the same).
    return fill(tilesError, signal, () => Promise.all([q('day', absentOpen ? 'users' : undefined), q('week'), q('month')]), ([day, week, month]) => {
      replaceChildren(tilesError);
      // Asked before the page knew its day, and the server's day is another one: ask again.
      if (asked === null && today !== null && day.from !== today) {
        void loadTiles();
        return;
      }
      if (asked !== null && asked !== today) return;   // the day moved on while this was in flight
      nowTotal = day.total;
      dayReport = day;
      showCheckedIn(occupancyAt < started ? day.checked_in_now ?? 0 : Number(tiles.now.root.dataset['value'] ?? 0));
      const why = day.school_days === 0 ? 'No school today' : day.total === 0 ? 'No students yet' : null;
      setTile(tiles.present, why ? '–' : formatCount(day.present),
        why ?? `${formatRate(day.present, day.total)} of ${formatCount(day.total)} students`,
        { value: day.present, total: day.total });
      setTile(tiles.absent, why ? '–' : formatCount(day.absent),
        why ?? `${formatRate(day.absent, day.total)} of ${formatCount(day.total)} students`,
        { value: day.absent, total: day.total });
      for (const t of [tiles.present, tiles.absent]) markSoFar(t, day.school_days > 0);
      showClosure(day);
      showAbsentLink(day, asked);
      rateTile(tiles.week, week, 'week');
      rateTile(tiles.month, month, 'month');
      onDayReport(day);
    });
  };
  let nowTotal: number | null = null;   // today's counted students, from the latest day report
  const showCheckedIn = (count: number): void => {
    const known = nowTotal !== null && nowTotal > 0;
    setTile(tiles.now, formatCount(count), known ? `of ${formatCount(nowTotal ?? 0)} students` : 'students in school',
      nowTotal !== null ? { value: count, total: nowTotal } : { value: count });
  };
  // A day without school may be a closure: its reason goes on the day's tiles.
  const closureOf = new Map<IsoDate, Promise<string | null>>();
  const showClosure = (report: AggregateCounts): void => {
    for (const t of [tiles.present, tiles.absent]) delete t.root.dataset['closure'];
    if (report.school_days !== 0) return;
    const day = report.from;
    let reason = closureOf.get(day);
    if (!reason) {
      // A failed ask is forgotten, so the next tile refresh asks again.
      reason = listClosures(schoolId, day, day, signal).then((found) => (found[0] ? closureText(found[0].reason) : null), () => {
        closureOf.delete(day);
        return null;
      });
      closureOf.set(day, reason);
    }
    void reason.then((text) => {
      if (text === null || dayReport?.from !== day || dayReport.school_days !== 0) return;
      for (const t of [tiles.present, tiles.absent]) {
        t.sub.textContent = `No school today · ${text}`;
        t.root.dataset['closure'] = text;
      }
    });
  };
  const rateTile = (t: Tile, p: AggregatePeriod, what: string): void => {
    setTile(t, formatRate(p.present, p.total),
      p.total > 0 ? `${formatCount(p.present)} of ${formatCount(p.total)} present · ${formatDayRange(p.from, p.to)}`
        : p.school_days === 0 ? `No school days yet this ${what}` : 'No students yet',
      { value: p.present, total: p.total });
  };

  // "Absent today" opens the list of today's absent students: the day report's user rows.
  const absentButton = h('button', { type: 'button', class: 'tile-link', 'aria-expanded': 'false', 'aria-controls': 'absent-today-list' }, 'Show who');
  let absentOpen = false;
  // Every tile refresh while the list is open brings its rows along (the day report with users).
  const showAbsentLink = (day: AggregateCounts, asked: IsoDate | null): void => {
    const sub = tiles.absent.sub;
    if (day.absent > 0) sub.append(' · ', absentButton);
    if (day.users) showAbsent(day, asked);
  };
  const showAbsent = (report: AggregateCounts, asked: IsoDate | null): void => {
    if (asked !== today || !absentOpen) return;
    const absent = (report.users ?? []).filter((u) => !u.present).sort((x, y) => x.name.localeCompare(y.name));
    replaceChildren(absentList,
      h('h3', { id: 'absent-title' }, `Absent today (${formatCount(absent.length)})`),
      absent.length === 0 ? h('p', { class: 'empty' }, 'Nobody is absent today.')
        : h('ul', { class: 'names', 'aria-labelledby': 'absent-title' }, absent.map((u) => h('li', { 'data-user-id': u.user_id },
          withCard(u.user_id, u.name, studentHref(schoolId, u.user_id, asked ?? undefined), u.external_id ?? cards.get(u.user_id)),
          u.seconds !== undefined && u.seconds > 0 && h('span', { class: 'muted' }, ` · ${formatDuration(u.seconds)} in school`)))));
    absentList.dataset['ready'] = 'true';
  };
  // On opening: the rows at once, without waiting for the next refresh.
  const loadAbsent = (): Promise<void> => {
    const asked = today;
    return fill(absentList, signal, () => aggregatePeriod(schoolId, { period: 'day', date: asked, include: 'users' }, signal),
      (report) => showAbsent(report, asked));
  };
  absentButton.addEventListener('click', () => {
    absentOpen = !absentOpen;
    absentButton.setAttribute('aria-expanded', String(absentOpen));
    absentButton.textContent = absentOpen ? 'Hide' : 'Show who';
    if (absentOpen) {
      replaceChildren(absentList, loading('Loading the absent students…'));
      void loadAbsent();
    } else {
      replaceChildren(absentList);
      delete absentList.dataset['ready'];
    }
  });
  const tilesLoaded = loadTiles();

  // ---- The live stream ----
  // The live tiles say when their numbers may be old: while the stream is down, the badge reads
  // "reconnecting" (or "not live") with the time of the last live moment, instead of "live".
  let lastLive: string | null = null;
  const showLiveState = (state: StreamState): void => {
    if (state === 'live') lastLive = null;
    else if (lastLive === null && tiles.now.root.dataset['live'] === 'live') lastLive = now().toISOString();
    const word = { connecting: 'connecting', live: 'live', reconnecting: 'reconnecting', stopped: 'not live' }[state];
    const since = lastLive && schoolNow ? ` · as of ${localTime(lastLive, schoolNow.timezone)}` : '';
    for (const t of [tiles.now, tiles.fever]) {
      t.root.dataset['live'] = state;
      if (t.badge) {
        t.badge.textContent = `${word}${since}`;
        if (state === 'live') t.badge.setAttribute('aria-hidden', 'true');
        else t.badge.removeAttribute('aria-hidden');
      }
    }
  };
  showLiveState('connecting');
  const refreshTiles = coalesce(() => void loadTiles(), kRefreshMs);
  let refreshFever: () => void = () => {};
  let schoolNow: School | null = null;
  const stream = new LiveStream(`/api/schools/${schoolId}/stream`, {
    onState: (state, detail) => {
      setLiveStatus(state === 'stopped' ? 'offline' : state, detail ?? '');
      showLiveState(state);
    },
    onUnauthorized: showExpired,
    onReconnected: () => {
      // Events may have been missed, and sections may have failed while the server was away.
      main.querySelectorAll<HTMLButtonElement>('[data-error="section"] button').forEach((b) => b.click());
      void loadTiles();
      refreshFever();
    },
    onEvent: (type, data) => {
      if (type === 'occupancy') {
        const d = data as { checked_in_now?: number };
        if (typeof d.checked_in_now === 'number') {
          occupancyAt = performance.now();
          const shown = tiles.now.root.dataset['value'];
          const changed = shown !== undefined && shown !== String(d.checked_in_now);
          showCheckedIn(d.checked_in_now);
          if (changed) {
            tiles.now.root.classList.remove('flash');
            void tiles.now.root.offsetWidth;   // restart the animation
            tiles.now.root.classList.add('flash');
          }
        }
      } else if (type === 'attendance') {
        refreshTiles();
      } else if (type === 'fever') {
        const a = data as Attendance & { user_name?: string };
        const zone = schoolNow?.timezone ?? 'UTC';
        toast([
          h('strong', null, 'Fever alert: '),
          ...withCard(a.user_id, a.user_name ?? `student ${a.user_id}`, studentHref(schoolId, a.user_id)),
          ` ${a.temperature.toFixed(1)} °C at ${localTime(a.timestamp, zone)}`,
        ], 'fever');
        refreshFever();
      }
    },
  });
  stream.start();
  ctx.onCleanup(() => {
    stream.stop();
    refreshTiles.cancel();
  });
  const chartHandles: ChartHandle[] = [];
  ctx.onCleanup(() => chartHandles.splice(0).forEach((c) => c.destroy()));

  // ---- The school: its name and time zone, then everything dated ----
  let school: School;
  try {
    school = await schoolP;
  } catch (error) {
    if (!signal.aborted) showError(error, ctx);
    return;
  }
  schoolNow = school;
  const zone = school.timezone;
  today = todayIn(zone);
  title.textContent = school.name;
  headerName = school.name;
  header();
  document.title = `${school.name} · Attendance`;

  // Roster with search.
  // The first try is the request started above; a Retry asks again (a failed promise stays failed).
  let rosterTries = 0;
  void fill(roster, signal, () => (rosterTries++ === 0 ? usersP : fetchRoster()), (users) => {
    if (users.length === 0) {
      replaceChildren(notice, h('div', { class: 'notice', role: 'status', 'data-message': 'empty-school' },
        h('strong', null, 'This school has no students yet. '),
        'Add students through the API (POST /api/users); their attendance appears here as soon as they check in.'));
      replaceChildren(roster, h('p', { class: 'empty' }, 'No students yet.'));
      return;
    }
    renderRoster(roster, schoolId, users);
  });

  // CSV report of any period.
  const reportsToday = renderReports(reports, school, today);

  // Everything dated, for one day: shown now, and again for the next day at the school's
  // midnight. The requests of the day before are aborted, so nothing of it lands on the new day.
  let dayController: AbortController | null = null;
  const showDay = async (day: IsoDate): Promise<void> => {
    dayController?.abort();
    const controller = new AbortController();
    dayController = controller;
    const daySignal = controller.signal;
    signal.addEventListener('abort', () => controller.abort(), { once: true });
    chartHandles.splice(0).forEach((c) => c.destroy());

    subtitle.textContent = `${formatDay(day)} · time zone ${zone} · present on a day: in school now or more than ${school.min_daily_hours} h in school that day; for a week or month: present on more than ${Math.round(school.min_period_ratio * 100)} % of its school days so far`;
    reportsToday(day);

    // Fever alerts today: students (one may have several readings), newest reading first.
    const loadFever = (): Promise<void> => fill(feverList, daySignal,
      () => Promise.all([getAll<FeverEvent>(`/api/schools/${schoolId}/fever_events`,
        { from: startOfLocalDay(day, zone), to: startOfLocalDay(addDays(day, 1), zone) }, daySignal), cardsP]),
      ([found]) => {
        const events = [...found].sort((x, y) => Date.parse(y.timestamp) - Date.parse(x.timestamp) || y.id - x.id);
        const students = new Set(events.map((e) => e.user_id)).size;
        setTile(tiles.fever, formatCount(students),
          events.length === 0 ? `none at or above ${school.fever_threshold.toFixed(1)} °C`
            : `student${students === 1 ? '' : 's'} · ${formatCount(events.length)} reading${events.length === 1 ? '' : 's'} at or above ${school.fever_threshold.toFixed(1)} °C`,
          { value: students, readings: events.length });
        tiles.fever.root.classList.toggle('tile-alert', events.length > 0);
        replaceChildren(feverList, events.length === 0
          ? h('p', { class: 'empty' }, 'No fever alerts today.')
          : h('ul', { class: 'events' }, events.slice(0, 20).map((e) => h('li', { 'data-event-id': e.id },
            h('time', { datetime: e.timestamp }, localTime(e.timestamp, zone)), ' ',
            ...withCard(e.user_id, e.user_name, studentHref(schoolId, e.user_id, day)), ' ',
            h('span', { class: 'temp' }, `${e.temperature.toFixed(1)} °C`), ' ',
            h('span', { class: 'muted' }, e.type === 'checkin' ? 'at check-in' : 'at check-out')))),
          events.length > 20 && h('p', { class: 'hint' }, `and ${events.length - 20} more`));
      });
    refreshFever = coalesce(() => void loadFever(), 300);
    void loadFever();

    // Trends: three series, each drawn as soon as it arrives. They start once the tiles are
    // answered: on a cold cache a 12-month series keeps the server's aggregation threads busy
    // for a while, and the tiles come first.
    const slot = (): HTMLElement => h('div', { class: 'chart-slot' }, loading('Loading chart…'));
    const [daysSlot, weeksSlot, monthsSlot] = [slot(), slot(), slot()];
    replaceChildren(charts, daysSlot, weeksSlot, monthsSlot);
    const draw = (into: HTMLElement, built: { root: HTMLElement; draw(): ChartHandle }): ChartHandle => {
      replaceChildren(into, built.root);
      const handle = built.draw();
      chartHandles.push(handle);
      built.root.dataset['drawn'] = 'true';
      return handle;
    };
    const chart = (into: HTMLElement, load: () => Promise<AggregateSeries>, build: (s: AggregateCounts[]) => { root: HTMLElement; draw(): ChartHandle }): Promise<void> =>
      fill(into, daySignal, load, (report) => void draw(into, build(report.series)));
    await tilesLoaded;
    if (daySignal.aborted) return;

    // The 30-day chart's last bar is today: it follows the tiles' day report (live events).
    let daysSeries: AggregateCounts[] | null = null;
    let daysHandle: ChartHandle | null = null;
    const drawDays = (series: AggregateCounts[]): void => {
      const open = daysSlot.querySelector('details')?.open ?? false;
      if (daysHandle) {
        daysHandle.destroy();
        chartHandles.splice(chartHandles.indexOf(daysHandle), 1);
      }
      daysSeries = series;
      daysHandle = draw(daysSlot, dailyChart(series, formatDay, day,
        (c) => (c.school_days === 0 && closedDays.has(c.from) ? closedDays.get(c.from) ?? null : null)));
      const details = daysSlot.querySelector('details');
      if (details) details.open = open;
    };
    const withToday = (series: AggregateCounts[], report: AggregateCounts | null): AggregateCounts[] => {
      const last = series[series.length - 1];
      if (!report || !last || last.from !== report.from || last.from !== day) return series;
      return [...series.slice(0, -1), { from: report.from, to: report.to, school_days: report.school_days, total: report.total, present: report.present, absent: report.absent }];
    };
    onDayReport = (report) => {
      if (daySignal.aborted || !daysSeries) return;
      const last = daysSeries[daysSeries.length - 1];
      if (last && (last.present !== report.present || last.absent !== report.absent || last.total !== report.total)) drawDays(withToday(daysSeries, report));
    };
    // The closures of the window name the reason of their gap in the table (none if they fail).
    const closedDays = new Map<IsoDate, string>();
    void fill(daysSlot, daySignal, () => Promise.all([
      aggregateSeries(schoolId, { period: 'day', from: addDays(day, -29), to: day }, daySignal),
      listClosures(schoolId, addDays(day, -29), day, daySignal).catch(() => []),
    ]), ([report, closures]) => {
      for (const c of closures) closedDays.set(c.date, closureText(c.reason));
      drawDays(withToday(report.series, dayReport));
    });
    void chart(weeksSlot, () => aggregateSeries(schoolId, { period: 'week', from: addDays(day, -77), to: day }, daySignal),
      (series) => rateChart('chart-weeks', 'Last 12 weeks: presence rate', series, (c) => `Week of ${formatDay(c.from)}`, day, 'week'));
    void chart(monthsSlot, () => aggregateSeries(schoolId, { period: 'month', from: addMonths(startOfMonth(day), -11), to: day }, daySignal),
      (series) => rateChart('chart-months', 'Last 12 months: presence rate', series, (c) => formatShortMonth(c.from), day, 'month'));

    // Chronic absence over the window ending yesterday.
    const chronicTo = addDays(day, -1);
    const chronicFrom = addDays(chronicTo, -(kChronicWindowDays - 1));
    void fill(chronic, daySignal, () => Promise.all([chronicRows(schoolId, chronicFrom, chronicTo, daySignal), cardsP]), ([rows]) => {
      const list = rows
        .filter((r) => r.school_days >= kChronicMinDays && (r.school_days - r.present_days) / r.school_days >= kChronicRatio)
        .map((r) => ({ ...r, absent_days: r.school_days - r.present_days, rate: (r.school_days - r.present_days) / r.school_days }))
        .sort((a, b) => b.rate - a.rate || b.absent_days - a.absent_days || a.name.localeCompare(b.name));
      if (list.length === 0) {
        replaceChildren(chronic, h('p', { class: 'empty', 'data-chronic-count': 0, 'data-to': chronicTo },
          rows.length === 0 ? 'No student has enough school days in this window yet.' : 'No student is chronically absent. '));
        return;
      }
      const body = h('tbody');
      const showRows = (n: number): void => replaceChildren(body, list.slice(0, n).map((r) => h('tr', { 'data-user-id': r.user_id },
        // The window's last day, chosen: its month is where the counted absences end.
        h('th', { scope: 'row' }, withCard(r.user_id, r.name, studentHref(schoolId, r.user_id, chronicTo))),
        h('td', { class: 'num' }, `${Math.round(r.rate * 1000) / 10} %`),
        h('td', { class: 'num' }, `${r.absent_days} of ${r.school_days}`))));
      showRows(kChronicShown);
      const more = list.length > kChronicShown
        ? h('button', { type: 'button', class: 'button small' }, `Show all ${list.length}`) : null;
      more?.addEventListener('click', () => {
        showRows(list.length);
        more.remove();
      });
      replaceChildren(chronic,
        h('p', { class: 'count', 'data-chronic-count': list.length, 'data-to': chronicTo }, `${formatCount(list.length)} students (${formatDayRange(chronicFrom, chronicTo)})`),
        h('div', { class: 'table-scroll' }, h('table', { class: 'list' },
          h('caption', { class: 'visually-hidden' }, 'Chronically absent students, worst first'),
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Student'), h('th', { scope: 'col', class: 'num' }, 'Absence rate'),
            h('th', { scope: 'col', class: 'num' }, 'Days absent'))),
          body)),
        more);
    });
  };

  subtitle.dataset['today'] = today;
  ctx.onCleanup(watchLocalDay(zone, today, (next) => {
    today = next;
    subtitle.dataset['today'] = next;
    dayReport = null;
    onDayReport = () => {};
    if (absentOpen) replaceChildren(absentList, loading('Loading the absent students…'));
    void loadTiles();
    void showDay(next);
  }));
  await showDay(today);
};

// Per-user present_days / school_days over [from, to]: one report over the whole range
// (period=range). A server without that mode answers 422; then the day series with users is
// summed per user instead (the same numbers, more bytes).
async function chronicRows(schoolId: number, from: IsoDate, to: IsoDate, signal: AbortSignal): Promise<AggregateUserRow[]> {
  try {
    const report = await aggregatePeriod(schoolId, { period: 'range', from, to, include: 'users' }, signal);
    if (Array.isArray(report.users)) return report.users;
  } catch (error) {
    if (!(error instanceof HttpError && (error.status === 422 || error.status === 400))) throw error;
  }
  const series = await aggregateSeries(schoolId, { period: 'day', from, to, include: 'users' }, signal);
  const byUser = new Map<number, AggregateUserRow>();
  for (const day of series.series) {
    for (const u of day.users ?? []) {
      const row = byUser.get(u.user_id) ?? { user_id: u.user_id, name: u.name, present: false, present_days: 0, school_days: 0 };
      row.present_days += u.present_days;
      row.school_days += u.school_days;
      byUser.set(u.user_id, row);
    }
  }
  return [...byUser.values()];
}

function renderRoster(box: HTMLElement, schoolId: number, users: User[]): void {
  const sorted = [...users].sort((a, b) => a.name.localeCompare(b.name)).map((u) => ({ u, key: searchKey(u.name, u.external_id) }));
  const search = h('input', { id: 'roster-search', type: 'search', autocomplete: 'off', 'aria-controls': 'roster-table', placeholder: 'Name or card number' });
  const count = h('p', { class: 'count', role: 'status', 'aria-live': 'polite' });
  const body = h('tbody');
  const show = (): void => {
    const matches = searchMatcher(search.value);
    const found = sorted.filter((s) => matches(s.key)).map((s) => s.u);
    count.textContent = found.length > kRosterShown
      ? `${formatCount(found.length)} students; showing the first ${kRosterShown}. Type to narrow down.`
      : `${formatCount(found.length)} student${found.length === 1 ? '' : 's'}`;
    count.dataset['count'] = String(found.length);
    replaceChildren(body, found.length === 0
      ? h('tr', null, h('td', { colspan: 3, class: 'empty' }, 'No student matches.'))
      : found.slice(0, kRosterShown).map((u) => h('tr', { 'data-user-id': u.id },
        h('th', { scope: 'row' }, h('a', { href: studentHref(schoolId, u.id) }, u.name)),
        h('td', null, u.external_id ?? '—'),
        h('td', { class: 'optional' }, h('time', { datetime: u.enrolled_on }, formatDay(u.enrolled_on))))));
  };
  search.addEventListener('input', show);
  show();
  replaceChildren(box,
    h('div', { class: 'field' }, h('label', { for: 'roster-search' }, 'Search students'), search,
      h('p', { class: 'hint' }, 'Any case, with or without accents; words in any order.')),
    count,
    h('div', { class: 'table-scroll' }, h('table', { class: 'list', id: 'roster-table' },
      h('caption', { class: 'visually-hidden' }, 'Students of the school'),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Card / external id'),
        h('th', { scope: 'col', class: 'optional' }, 'Enrolled on'))),
      body)));
}

// A closure's reason as the page says it ("closed" alone when none was given).
function closureText(reason: string): string {
  return reason.trim() === '' ? 'closed' : `closed: ${reason}`;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'school';
}

// Returns the function that moves the date limit to a new today (at the school's midnight).
function renderReports(box: HTMLElement, school: School, today: IsoDate): (today: IsoDate) => void {
  const period = h('select', { id: 'report-period', name: 'period' },
    h('option', { value: 'day' }, 'Day'), h('option', { value: 'week' }, 'Week'), h('option', { value: 'month', selected: true }, 'Month'));
  const date = h('input', { id: 'report-date', name: 'date', type: 'date', value: today, max: today, required: true });
  const status = h('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'button primary' }, 'Download CSV');
  const form = h('form', { class: 'report-form' },
    h('p', { class: 'hint' }, 'One row per student: present or absent for the period, days present and school days (and, for a day, time in school).'),
    h('div', { class: 'form-row' },
      h('div', { class: 'field' }, h('label', { for: 'report-period' }, 'Period'), period),
      h('div', { class: 'field' }, h('label', { for: 'report-date' }, 'Containing the date'), date),
      button),
    status);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!date.value) {
      status.textContent = 'Choose a date.';
      return;
    }
    button.disabled = true;
    status.textContent = 'Preparing the report…';
    const query = { period: period.value, date: date.value, include: 'users', format: 'csv' };
    request(withQuery(aggregatePath(school.id), query), { accept: 'text/csv' })
      .then((r) => r.blob())
      .then((blob) => {
        const name = `attendance-${slug(school.name)}-${period.value}-${date.value}.csv`;
        const url = URL.createObjectURL(blob);
        const a = h('a', { href: url, download: name, hidden: true });
        document.body.appendChild(a);
        a.click();
        a.remove();
        window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
        status.textContent = `Downloaded ${name}.`;
      })
      .catch((error: unknown) => {
        status.textContent = error instanceof HttpError && error.status === 422
          ? 'The server cannot make a report for that date.' : 'The report could not be downloaded. Try again.';
      })
      .finally(() => { button.disabled = false; });
  });
  replaceChildren(box, form);
  return (next) => {
    if (date.value === date.max) date.value = next;
    date.max = next;
  };
}

export type { AggregateCounts, ViewContext };
