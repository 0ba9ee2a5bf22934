// The API client: every call carries the bearer token from sessionStorage (never a URL), and
// failures come back as typed errors the views turn into messages.

import { clockOffset, setClockOffset, type IsoDate } from './dates';

const kTokenKey = 'attendance.token';

export function getToken(): string | null {
  return sessionStorage.getItem(kTokenKey);
}
export function setToken(token: string): void {
  sessionStorage.setItem(kTokenKey, token);
}
export function clearToken(): void {
  sessionStorage.removeItem(kTokenKey);
}

// 401: the token is unknown, expired or revoked.
export class UnauthorizedError extends Error {
  constructor() { super('Unauthorized'); }
}
// 403: the token's role may not do this (a device token on the dashboard).
export class ForbiddenError extends Error {
  constructor() { super('Forbidden'); }
}
// 404: does not exist, or belongs to another school (the API answers both the same way).
export class NotFoundError extends Error {
  constructor() { super('Not Found'); }
}
// No HTTP answer at all: the server is down or unreachable.
export class NetworkError extends Error {
  constructor(cause: unknown) { super(`cannot reach the server (${String(cause)})`); }
}
export class HttpError extends Error {
  constructor(readonly status: number, readonly body: string) {
    super(`HTTP ${status}`);
  }
}

// Called on every 401 once signed in: the app shows its "expired" screen.
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== false) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

// Every answer's Date header (RFC 9110 section 6.6.1) tells the server's clock: the offset to
// this browser's clock behind dates.ts now(). The server stamped its answer at some moment between
// the request leaving (`sent`) and the answer arriving (`received`), with a clock that read Date
// (cut to the second) up to a second more; so the offset lies in [low, high]. The estimate is
// kept while it fits there with a second to spare (Date's second, a scheduling hiccup: the day
// never flickers) and otherwise moved to the middle; a slow answer widens the interval, so it
// never drags a good estimate off by half its round trip.
const kClockSlackMs = 1000;
function noteServerClock(response: Response, sent: number, received: number): void {
  const date = Date.parse(response.headers.get('date') ?? '');
  if (Number.isNaN(date)) return;
  const low = date - received;
  const high = date + 1000 - sent;
  const offset = clockOffset();
  if (offset < low - kClockSlackMs || offset > high + kClockSlackMs) setClockOffset(Math.round((low + high) / 2));
}

export async function request(path: string, options: { signal?: AbortSignal; token?: string; accept?: string } = {}): Promise<Response> {
  const token = options.token ?? getToken();
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
  if (token) headers['authorization'] = `Bearer ${token}`;
  let response: Response;
  const sent = Date.now();
  try {
    response = await fetch(path, { headers, signal: options.signal ?? null, cache: 'no-store' });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError(error);
  }
  noteServerClock(response, sent, Date.now());
  if (response.ok) return response;
  const body = await response.text().catch(() => '');
  if (response.status === 401) {
    if (options.token === undefined) onUnauthorized();
    throw new UnauthorizedError();
  }
  if (response.status === 403) throw new ForbiddenError();
  if (response.status === 404) throw new NotFoundError();
  // A proxy in front of a stopped server answers 502/503/504: the same as unreachable.
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    throw new NetworkError(`HTTP ${response.status}`);
  }
  throw new HttpError(response.status, body);
}

export async function getJson<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
  const response = await request(withQuery(path, query), signal ? { signal } : {});
  return (await response.json()) as T;
}

export interface Page<T> { data: T[]; meta: { next_after: number | null } }

// Follows `meta.next_after` until the last page.
export async function getAll<T>(path: string, query: Query, signal?: AbortSignal, maxPages = 100): Promise<T[]> {
  const items: T[] = [];
  let after: number | null = null;
  for (let page = 0; page < maxPages; page += 1) {
    const body: Page<T> = await getJson<Page<T>>(path, { ...query, limit: 1000, after }, signal);
    items.push(...body.data);
    after = body.meta?.next_after ?? null;
    if (after === null || body.data.length === 0) break;
  }
  return items;
}

// ---- Resources (docs/openapi.yaml) ----

export interface School {
  id: number;
  name: string;
  timezone: string;
  school_days: number[];
  min_daily_hours: number;
  min_period_ratio: number;
  fever_threshold: number;
}

export interface User {
  id: number;
  school_id: number;
  name: string;
  external_id: string | null;
  enrolled_on: IsoDate;
}

export interface Attendance {
  id: number;
  user_id: number;
  school_id: number;
  timestamp: string;
  type: 'checkin' | 'checkout';
  temperature: number;
  fever: boolean;
}

export interface FeverEvent {
  id: number;
  user_id: number;
  user_name: string;
  school_id: number;
  timestamp: string;
  temperature: number;
  type: 'checkin' | 'checkout';
}

// A day the school is closed (GET /api/schools/ID/closures): no school day, whatever the weekday.
// `reason` is '' when none was given.
export interface Closure {
  school_id: number;
  date: IsoDate;
  reason: string;
}

// The school's closures from `from` to `to` (both included), by date: one page, which holds a
// month's (the API's default limit is larger than any month).
export async function listClosures(schoolId: number, from: IsoDate, to: IsoDate, signal?: AbortSignal): Promise<Closure[]> {
  return (await getJson<{ data: Closure[] }>(`/api/schools/${schoolId}/closures`, { from, to }, signal)).data;
}

export type PeriodKind = 'day' | 'week' | 'month';

export interface AggregateUserRow {
  user_id: number;
  name: string;
  external_id?: string | null;
  present: boolean;
  present_days: number;
  school_days: number;
  seconds?: number;
  missing_checkout?: boolean;
}

export interface AggregateCounts {
  from: IsoDate;
  to: IsoDate;
  school_days: number;
  total: number;
  present: number;
  absent: number;
  checked_in_now?: number;
  users?: AggregateUserRow[];
}

export interface AggregatePeriod extends AggregateCounts {
  school_id: number;
  timezone: string;
  period: string;
}

export interface AggregateSeries {
  school_id: number;
  timezone: string;
  period: string;
  series: AggregateCounts[];
}

export const aggregatePath = (schoolId: number): string => `/api/attendances/aggregate/school/${schoolId}`;

// The one period containing `date` (default: the school's today).
export async function aggregatePeriod(schoolId: number, query: Query, signal?: AbortSignal): Promise<AggregatePeriod> {
  return (await getJson<{ data: AggregatePeriod }>(aggregatePath(schoolId), query, signal)).data;
}

export async function aggregateSeries(schoolId: number, query: Query, signal?: AbortSignal): Promise<AggregateSeries> {
  return (await getJson<{ data: AggregateSeries }>(aggregatePath(schoolId), query, signal)).data;
}
