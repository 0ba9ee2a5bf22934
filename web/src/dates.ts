// Calendar dates (YYYY-MM-DD strings), the school's time zone, and the server's clock. The page
// asks for every number of "today" with the school's today by the server's clock (now()), and
// for ranges (the last 30 days, ...) around it, and shows times in the school's zone.

export type IsoDate = string;

// The server's clock minus this browser's, in ms: 0 until the first answer, then what api.ts
// reads from the answers' Date headers. A laptop whose clock is hours (or a day) off still shows
// the school's real today.
let serverClockOffset = 0;

export function clockOffset(): number {
  return serverClockOffset;
}
export function setClockOffset(ms: number): void {
  serverClockOffset = ms;
}

// The current instant by the server's clock: what the page uses for "today", the midnight watch
// and every "as of" time, never `new Date()` / `Date.now()` on their own.
export function now(): Date {
  return new Date(Date.now() + serverClockOffset);
}

function parts(date: IsoDate): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  return [y ?? 1970, m ?? 1, d ?? 1];
}

function fromUtc(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = parts(date);
  return fromUtc(Date.UTC(y, m - 1, d + days));
}

export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m] = parts(date);
  return fromUtc(Date.UTC(y, m - 1 + months, 1));
}

export function startOfMonth(date: IsoDate): IsoDate {
  return `${date.slice(0, 7)}-01`;
}

export function endOfMonth(date: IsoDate): IsoDate {
  return addDays(addMonths(date, 1), -1);
}

// ISO weekday: 1 = Monday .. 7 = Sunday.
export function isoWeekday(date: IsoDate): number {
  const [y, m, d] = parts(date);
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return day === 0 ? 7 : day;
}

function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(timeZone: string): Intl.DateTimeFormat {
  const zone = safeZone(timeZone);
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

interface Wall { date: IsoDate; time: string; ms: number }

function wall(instant: Date, timeZone: string): Wall {
  const p: Record<string, string> = {};
  for (const part of wallClock(timeZone).formatToParts(instant)) p[part.type] = part.value;
  const date = `${p['year']}-${p['month']}-${p['day']}`;
  const time = `${p['hour']}:${p['minute']}:${p['second']}`;
  const [y, m, d] = parts(date);
  const ms = Date.UTC(y, m - 1, d, Number(p['hour']), Number(p['minute']), Number(p['second']));
  return { date, time, ms };
}

export function todayIn(timeZone: string, instant: Date = now()): IsoDate {
  return wall(instant, timeZone).date;
}

// Calls onChange(newToday) once the school's local date (by now(), the server's clock) is no longer
// `today`: a timer set for the next local midnight, re-armed at most a minute at a time (a long
// timer of a sleeping laptop or a throttled background tab fires late, and a corrected clock
// offset moves midnight), and a check whenever the tab becomes visible again.
// Returns the function that stops watching.
export function watchLocalDay(timeZone: string, today: IsoDate, onChange: (today: IsoDate) => void): () => void {
  let current = today;
  let timer: number | undefined;
  const check = (): void => {
    window.clearTimeout(timer);
    const day = todayIn(timeZone);
    if (day !== current) {
      current = day;
      onChange(day);
    }
    const untilMidnight = Date.parse(startOfLocalDay(addDays(current, 1), timeZone)) - now().getTime();
    timer = window.setTimeout(check, Math.max(250, Math.min(60_000, untilMidnight + 250)));
  };
  const onVisible = (): void => { if (document.visibilityState === 'visible') check(); };
  document.addEventListener('visibilitychange', onVisible);
  check();
  return () => {
    window.clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}

export function localDate(timestamp: string, timeZone: string): IsoDate {
  return wall(new Date(timestamp), timeZone).date;
}

export function localTime(timestamp: string, timeZone: string): string {
  return wall(new Date(timestamp), timeZone).time.slice(0, 5);
}

// The instant (RFC 3339, UTC) at which the local day `date` begins in the zone.
export function startOfLocalDay(date: IsoDate, timeZone: string): string {
  const [y, m, d] = parts(date);
  const guess = Date.UTC(y, m - 1, d);
  let instant = guess - (wall(new Date(guess), timeZone).ms - guess);
  const offset = wall(new Date(instant), timeZone).ms - instant;
  instant = guess - offset;
  return new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// "Jul 2026": a two-digit year ("Jul 26") reads as July 26th.
const shortMonth = new Intl.DateTimeFormat('en', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const longDay = new Intl.DateTimeFormat('en', {
  weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC',
});

function asUtc(date: IsoDate): Date {
  const [y, m, d] = parts(date);
  return new Date(Date.UTC(y, m - 1, d));
}

export const formatShortMonth = (date: IsoDate): string => shortMonth.format(asUtc(date));
export const formatLongDay = (date: IsoDate): string => longDay.format(asUtc(date));

export function formatDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min`;
}

// One form per purpose across the dashboard: a day "Wed 2 Dec 2026" (formatDay), a run of days
// "Mon 30 Nov – Sun 6 Dec 2026" (formatDayRange), a month "Dec 2026" (formatShortMonth), a time
// of day "08:05", 24-hour, in the school's zone (localTime). The month is written and comes after
// the day, so neither 12/02 nor 02/12 can be misread, and the year is always there.
const dayPartsFormat = new Intl.DateTimeFormat('en', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

function dayParts(date: IsoDate): Record<string, string> {
  const p: Record<string, string> = {};
  for (const part of dayPartsFormat.formatToParts(asUtc(date))) p[part.type] = part.value;
  return p;
}

export function formatDay(date: IsoDate): string {
  const p = dayParts(date);
  return `${p['weekday']} ${p['day']} ${p['month']} ${p['year']}`;
}

// The year once when both days share it.
export function formatDayRange(from: IsoDate, to: IsoDate): string {
  if (from === to) return formatDay(from);
  const a = dayParts(from);
  const sameYear = a['year'] === dayParts(to)['year'];
  return `${a['weekday']} ${a['day']} ${a['month']}${sameYear ? '' : ` ${a['year']}`} – ${formatDay(to)}`;
}
