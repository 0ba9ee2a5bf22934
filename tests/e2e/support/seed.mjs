// Test data through the public API: schools, students, tokens and a timeline of check-ins and
// check-outs, deterministic for a given seed. Each student's events of a day are posted in order;
// students are seeded in parallel.

import assert from 'node:assert/strict';

export class Api {
  constructor(url, token) {
    this.url = url;
    this.token = token;
  }

  as(token) {
    return new Api(this.url, token);
  }

  async request(method, path, body, accept = 'application/json') {
    const headers = { accept };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: response.status, headers: response.headers, text, json, data: json?.data };
  }

  async get(path) {
    const res = await this.request('GET', path);
    assert.equal(res.status, 200, `GET ${path} -> ${res.status} ${res.text.slice(0, 500)}`);
    return res.data;
  }

  async post(path, body, expected = [200, 201]) {
    const res = await this.request('POST', path, body);
    assert.ok(expected.includes(res.status), `POST ${path} ${JSON.stringify(body)} -> ${res.status} ${res.text.slice(0, 500)}`);
    return res.data;
  }
}

export function utcToday(now = new Date()) {
  return now.toISOString().slice(0, 10);
}

export function addDays(date, days) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

// The dashboard's form of a day (web/src/dates.ts formatDay): "Wed 2 Dec 2026".
export function dayLabel(date) {
  const d = new Date(`${date}T00:00:00Z`);
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  return `${weekday} ${d.getUTCDate()} ${month} ${d.getUTCFullYear()}`;
}

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const kFirst = ['Ada', 'Ben', 'Chloe', 'Dmitri', 'Elena', 'Farah', 'Gabriel', 'Hana', 'Ivan', 'Jade', 'Kofi', 'Lena', 'Mateo',
  'Nadia', 'Omar', 'Priya', 'Quentin', 'Rosa', 'Samir', 'Tariq', 'Uma', 'Victor', 'Wen', 'Ximena', 'Yusuf', 'Zoe'];
const kLast = ['Okafor', 'Lindqvist', 'Moreau', 'Petrov', 'Haddad', 'Nakamura', 'Silva', 'Kowalski', 'Brennan', 'Achebe',
  'Rossi', 'Tanaka', 'Novak', 'Oduya', 'Fischer', 'Garcia'];

async function inParallel(items, limit, fn) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  });
  await Promise.all(workers);
}

// A UTC school (every weekday a school day, so the tests do not depend on the day they run),
// `students` students enrolled `history` days ago, `history` past days of events, and
// today: about half the students checked in at `checkinAt` (an instant earlier today).
export async function seedSchool(admin, { name, students = 30, history = 70, seed = 1, namePrefix = '', now = new Date() }) {
  const random = mulberry32(seed);
  const school = await admin.post('/api/schools', { school: { name, timezone: 'UTC', school_days: [1, 2, 3, 4, 5, 6, 7] } });
  const today = utcToday(now);
  const enrolledOn = addDays(today, -history);
  const users = [];
  for (let i = 0; i < students; i += 1) {
    const full = `${namePrefix}${kFirst[i % kFirst.length]} ${kLast[(i * 7 + seed) % kLast.length]}${i >= kFirst.length ? ` ${Math.floor(i / kFirst.length) + 1}` : ''}`;
    users.push(await admin.post('/api/users', {
      user: { name: full, school_id: school.id, external_id: `CARD-${school.id}-${String(i + 1).padStart(4, '0')}`, enrolled_on: enrolledOn },
    }));
  }
  // Attendance profiles: most students attend almost every day, some drift, a few are chronic.
  const profile = (i) => (i % 10 === 3 ? 0.55 : i % 10 === 7 ? 0.82 : 0.97);
  const midnight = Date.parse(`${today}T00:00:00Z`);
  const checkinAt = new Date(midnight + Math.floor((now.getTime() - midnight) / 2));
  const stamp = (date, minutes) => new Date(Date.parse(`${date}T00:00:00Z`) + minutes * 60_000).toISOString();
  const plans = users.map((u, i) => {
    const events = [];
    for (let back = history; back >= 1; back -= 1) {
      const date = addDays(today, -back);
      const r = random();
      const temperature = () => Math.round((36.3 + random() * 0.9) * 10) / 10;
      if (r < profile(i)) {
        const start = 8 * 60 + Math.floor(random() * 40);
        const end = 15 * 60 + Math.floor(random() * 60);
        events.push({ type: 'checkin', timestamp: stamp(date, start), temperature: back === 3 && i === 5 ? 38.4 : temperature() });
        events.push({ type: 'checkout', timestamp: stamp(date, end), temperature: temperature() });
      } else if (r < profile(i) + 0.05) {
        // A short visit: under min_daily_hours, so absent that day.
        events.push({ type: 'checkin', timestamp: stamp(date, 9 * 60), temperature: temperature() });
        events.push({ type: 'checkout', timestamp: stamp(date, 10 * 60 + 30), temperature: temperature() });
      }
    }
    return { user: u, events };
  });
  // Today: every other student is in school now (the first of them with a fever).
  const inNow = [];
  users.forEach((u, i) => {
    if (i % 2 === 0 && i < students - 4) {
      plans[i].events.push({ type: 'checkin', timestamp: checkinAt.toISOString(), temperature: i === 0 ? 38.6 : 36.7 });
      inNow.push(u);
    }
  });
  await inParallel(plans, 6, async ({ user, events }) => {
    for (const e of events) {
      await admin.post('/api/attendances', { attendance: { user_id: user.id, ...e } });
    }
  });
  return { school, users, inNow, notIn: users.filter((u) => !inNow.includes(u)), today };
}

export async function createToken(admin, role, schoolId, name = `${role} token`) {
  const token = await admin.post('/api/tokens', { token: { name, role, school_id: schoolId } });
  assert.ok(token.secret, 'the token answer carries its secret');
  return token;
}
