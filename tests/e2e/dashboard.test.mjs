// Browser tests of the dashboard (issue 5): Debian's chromium driven by playwright-core against
// a real attendance-server serving web/dist, with data seeded through the API.
// Screenshots at phone (390x844) and desktop (1440x900) sizes go to build/screenshots/.
//
//   (cd web && npm ci && npm run build) && (cd tests/e2e && npm ci && npm test)

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { kDesktop, kPhone, launchBrowser, kUiWait } from './support/browser.mjs';
import { serverClockFollowsBrowser } from './support/clock.mjs';
import { Api, addDays, createToken, dayLabel, seedSchool } from './support/seed.mjs';
import { repoRoot, startServer } from './support/server.mjs';

const screenshots = path.join(repoRoot, 'build', 'screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// axe-core's WCAG 2.1 A/AA rules on the current page; returns the serious and critical ones.
async function accessibilityViolations(page) {
  // Evaluated through the DevTools protocol: the page's CSP (rightly) refuses inline scripts.
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}
mkdirSync(screenshots, { recursive: true });

let server;
let browser;
let admin;
let a;        // the school the school_admin owns
let b;        // another school, whose data must never show
let schoolAdmin;
let device;

before(async () => {
  server = await startServer();
  admin = new Api(server.apiUrl, server.adminToken);
  [a, b] = await Promise.all([
    seedSchool(admin, { name: 'Riverside Primary', students: 36, history: 70, seed: 7 }),
    seedSchool(admin, { name: 'Hillcrest Academy', students: 6, history: 15, seed: 11, namePrefix: 'Hillcrest-' }),
  ]);
  schoolAdmin = await createToken(admin, 'school_admin', a.school.id, 'riverside office');
  device = await createToken(admin, 'device', a.school.id, 'riverside kiosk');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(viewport = kDesktop) {
  const context = await browser.newContext({ viewport, acceptDownloads: true, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors };
}

async function signIn(page, token) {
  await page.goto(`${server.url}/`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function tileData(page, id) {
  const tile = page.locator(`[data-tile="${id}"][data-ready="true"]`);
  await tile.waitFor({ timeout: kUiWait });
  return tile.evaluate((el) => ({ value: Number(el.dataset.value), total: el.dataset.total === undefined ? undefined : Number(el.dataset.total), text: el.querySelector('.tile-value').textContent }));
}

const aggregate = (api, schoolId, query) => api.get(`/api/attendances/aggregate/school/${schoolId}?${new URLSearchParams(query)}`);

describe('dashboard', () => {
  test('a school_admin signs in and lands on its own school, usable within 1 s', async () => {
    const { context, page, errors } = await open();
    await signIn(page, schoolAdmin.secret);
    await page.waitForURL(new RegExp(`#/schools/${a.school.id}$`));
    await page.getByRole('heading', { level: 1, name: 'Riverside Primary' }).waitFor();
    // A fresh navigation, timed: every tile filled, within 1 s.
    const started = Date.now();
    await page.reload();
    await page.locator('[data-tile][data-ready="true"]').nth(5).waitFor({ timeout: kUiWait });
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 1000, `tiles took ${elapsed} ms`);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the tiles show the API\'s numbers', async () => {
    const { context, page } = await open();
    await signIn(page, schoolAdmin.secret);
    const api = admin.as(schoolAdmin.secret);
    const [day, week, month] = await Promise.all(['day', 'week', 'month'].map((period) => aggregate(api, a.school.id, { period })));
    assert.ok(day.total > 0 && day.present > 0, 'the seed has people in school today');
    assert.deepEqual(await tileData(page, 'present-today'), { value: day.present, total: day.total, text: String(day.present) });
    assert.equal((await tileData(page, 'absent-today')).value, day.absent);
    assert.equal((await tileData(page, 'checked-in-now')).value, day.checked_in_now);
    assert.equal(day.checked_in_now, a.inNow.length);
    const weekTile = await tileData(page, 'week-rate');
    assert.deepEqual([weekTile.value, weekTile.total], [week.present, week.total]);
    assert.equal(weekTile.text, `${Math.round((week.present / week.total) * 1000) / 10} %`);
    const monthTile = await tileData(page, 'month-rate');
    assert.deepEqual([monthTile.value, monthTile.total], [month.present, month.total]);
    const from = `${a.today}T00:00:00Z`;
    const to = `${addDays(a.today, 1)}T00:00:00Z`;
    const fever = await api.get(`/api/schools/${a.school.id}/fever_events?from=${from}&to=${to}&limit=1000`);
    // The fever tile counts students, not readings.
    assert.equal((await tileData(page, 'fever-today')).value, new Set(fever.map((e) => e.user_id)).size);
    assert.ok(fever.length >= 1);
    await context.close();
  });

  test('the three charts are drawn from the series', async () => {
    const { context, page } = await open();
    await signIn(page, schoolAdmin.secret);
    for (const id of ['chart-days', 'chart-weeks', 'chart-months']) {
      const figure = page.locator(`figure[data-chart="${id}"][data-drawn="true"]`);
      await figure.waitFor({ timeout: kUiWait });
      const painted = await figure.locator('canvas').evaluate((canvas) => {
        const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n += 1;
        return n;
      });
      assert.ok(painted > 2000, `${id}: ${painted} painted pixels`);
    }
    // The table behind the 30-day chart holds the API's series.
    const series = (await aggregate(admin, a.school.id, { period: 'day', from: addDays(a.today, -29), to: a.today })).series;
    const rows = await page.locator('figure[data-chart="chart-days"] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    assert.equal(rows.length, 30);
    assert.deepEqual(rows.map((r) => [Number(r[2]), Number(r[3])]), series.map((s) => [s.present, s.absent]));
    await context.close();
  });

  test('a posted check-in moves the live count within 1 s, and a fever raises a toast', async () => {
    const { context, page } = await open();
    await signIn(page, schoolAdmin.secret);
    await page.locator('#live-status[data-state="live"]').waitFor({ timeout: kUiWait });
    const before = (await tileData(page, 'checked-in-now')).value;
    const kiosk = admin.as(device.secret);
    const [first, second] = a.notIn;
    const posted = Date.now();
    await kiosk.post('/api/attendances', { attendance: { user_id: first.id, type: 'checkin', temperature: 36.6 } });
    await page.waitForFunction((n) => document.querySelector('[data-tile="checked-in-now"]')?.dataset.value === String(n), before + 1, { timeout: 1000 });
    const moved = Date.now() - posted;
    assert.ok(moved <= 1000, `the live count moved after ${moved} ms`);

    const fever = (await tileData(page, 'fever-today')).value;
    await kiosk.post('/api/attendances', { attendance: { user_id: second.id, type: 'checkin', temperature: 38.9 } });
    const toast = page.locator('[data-toast="fever"]');
    await toast.waitFor({ timeout: 2000 });
    assert.match(await toast.textContent(), new RegExp(`${second.name}.*38\\.9 °C`));
    await page.waitForFunction((n) => document.querySelector('[data-tile="fever-today"]')?.dataset.value === String(n), fever + 1, { timeout: 2000 });
    await page.locator('[data-tile="checked-in-now"]').screenshot({ path: path.join(screenshots, 'tile-live.png') });
    await page.screenshot({ path: path.join(screenshots, 'fever-toast-desktop.png') });
    await context.close();
  });

  test('the CSV of a period downloads with the API\'s rows', async () => {
    const { context, page } = await open();
    await signIn(page, schoolAdmin.secret);
    await page.getByLabel('Period').selectOption('week');
    const date = addDays(a.today, -7);
    await page.getByLabel('Containing the date').fill(date);
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: kUiWait }),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^attendance-riverside-primary-week-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync(await download.path(), 'utf8');
    const expected = await admin.request('GET', `/api/attendances/aggregate/school/${a.school.id}?period=week&date=${date}&include=users&format=csv`, undefined, 'text/csv');
    assert.equal(expected.status, 200);
    assert.equal(text, expected.text);
    assert.equal(text.trim().split('\n').length, a.users.length + 1);
    await context.close();
  });

  test('roster search and a student\'s month calendar and day times', async () => {
    const { context, page } = await open();
    await signIn(page, schoolAdmin.secret);
    const student = a.users[3];   // a chronic absentee in the seed
    await page.getByLabel('Search students').fill(student.name);
    await page.locator(`#roster-table tr[data-user-id="${student.id}"]`).waitFor();
    assert.equal(await page.locator('#roster-table tbody tr').count(), 1);
    await page.getByRole('link', { name: student.name }).first().click();
    await page.getByRole('heading', { level: 1, name: student.name }).waitFor();
    await page.locator('.calendar-box[data-ready="true"]').waitFor({ timeout: kUiWait });
    // Each day of the month: the API's row for this student.
    const monthStart = `${a.today.slice(0, 7)}-01`;
    const series = (await aggregate(admin, a.school.id, { period: 'day', from: monthStart, to: a.today, include: 'users' })).series;
    const states = await page.locator('.calendar button[data-date]').evaluateAll((bs) => Object.fromEntries(bs.map((b) => [b.dataset.date, b.dataset.state])));
    for (const day of series) {
      const row = day.users.find((u) => u.user_id === student.id);
      // Today is in progress: no verdict until the day is over or past min_daily_hours (4 h).
      const today = !row?.present ? 'not-in-school-now' : row.seconds > 4 * 3600 ? 'present' : 'in-school-now';
      const expected = !row ? 'no-school' : day.from === a.today ? today : row.present ? 'present' : 'absent';
      assert.equal(states[day.from], expected, day.from);
    }
    // A past day with events: its check-in and check-out times.
    const attended = series.find((d) => d.from !== a.today && d.users.find((u) => u.user_id === student.id)?.present);
    if (attended) {
      await page.locator(`.calendar button[data-date="${attended.from}"]`).click();
      await page.locator('.events-table tr[data-event="checkin"]').first().waitFor();
      assert.ok(await page.locator('.events-table tr[data-event="checkout"]').count() >= 1);
    }
    await page.screenshot({ path: path.join(screenshots, 'student-desktop.png'), fullPage: true });
    await context.close();
  });

  test('another school\'s data is never shown to a school_admin', async () => {
    const { context, page } = await open();
    await signIn(page, schoolAdmin.secret);
    await page.waitForURL(new RegExp(`#/schools/${a.school.id}$`));
    await page.locator('#roster-table').waitFor();
    const text = await page.locator('body').innerText();
    assert.ok(!text.includes('Hillcrest'), 'the own dashboard never names the other school or its students');
    // Walking to the other school, or to one of its students, by address.
    await page.goto(`${server.url}/#/schools/${b.school.id}`);
    await page.locator('[data-message="not-found"], [data-message="forbidden"]').waitFor({ timeout: kUiWait });
    await page.goto(`${server.url}/#/schools/${a.school.id}/students/${b.users[0].id}`);
    await page.reload();
    await page.locator('[data-message="not-found"], [data-message="forbidden"]').waitFor({ timeout: kUiWait });
    assert.ok(!(await page.locator('body').innerText()).includes('Hillcrest'));
    await context.close();
  });

  test('an admin picks a school; a device token cannot open the dashboard', async () => {
    const { context, page } = await open();
    await signIn(page, server.adminToken);
    await page.getByRole('heading', { name: 'Choose a school' }).waitFor();
    assert.equal(await page.locator('.school-link').count(), 2);
    await page.getByRole('link', { name: /Hillcrest Academy/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Hillcrest Academy' }).waitFor();
    await context.close();

    const second = await open(kPhone);
    await signIn(second.page, device.secret);
    await second.page.getByText('This token cannot open the dashboard').waitFor();
    await second.context.close();
  });

  test('clear messages: an empty school, an expired token, an unreachable server', async () => {
    const empty = await admin.post('/api/schools', { school: { name: 'Brand New School' } });
    const { context, page } = await open();
    await signIn(page, server.adminToken);
    await page.getByRole('heading', { name: 'Choose a school' }).waitFor();
    await page.goto(`${server.url}/#/schools/${empty.id}`);
    await page.locator('[data-message="empty-school"]').waitFor({ timeout: kUiWait });

    // The server stops answering: the page says so and offers a retry.
    await page.route('**/api/**', (route) => route.abort('connectionrefused'));
    await page.reload();
    await page.getByRole('heading', { name: 'Cannot reach the server' }).waitFor({ timeout: kUiWait });
    await page.screenshot({ path: path.join(screenshots, 'unreachable-desktop.png') });
    await page.unroute('**/api/**');
    await page.getByRole('button', { name: 'Retry now' }).click();
    await page.getByRole('heading', { level: 1, name: 'Brand New School' }).waitFor();
    await context.close();

    // A revoked token.
    const temporary = await createToken(admin, 'school_admin', a.school.id, 'to be revoked');
    const second = await open();
    await signIn(second.page, temporary.secret);
    await second.page.getByRole('heading', { level: 1, name: 'Riverside Primary' }).waitFor();
    // The dashboard is left (the tab keeps its sessionStorage, token included) before the token is
    // revoked, and opened again after. Were it still open, a request it still had going (its
    // first load, under a slow run) could meet the revocation first: the page would show this
    // screen and forget the token, and on coming back it would be the sign-in screen instead.
    const address = second.page.url();
    await second.page.goto('about:blank');
    const revoked = await admin.request('DELETE', `/api/tokens/${temporary.id}`);
    assert.ok([200, 204].includes(revoked.status), `revoke: ${revoked.status}`);
    await second.page.goto(address);
    // A token still accepted would show the school instead, and fail here at any bound.
    await second.page.getByRole('heading', { name: 'Your token has expired or was revoked' }).waitFor({ timeout: kUiWait });
    await second.page.screenshot({ path: path.join(screenshots, 'expired-desktop.png') });
    await second.context.close();
  });

  test('keyboard only, and no serious accessibility violation (axe-core, WCAG 2.1 AA)', async () => {
    const { context, page } = await open();
    await page.goto(`${server.url}/`);
    assert.deepEqual(await accessibilityViolations(page), [], 'sign-in page');
    // The token field has the focus; Enter signs in.
    await page.keyboard.type(schoolAdmin.secret);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Riverside Primary' }).waitFor();
    await page.locator('figure[data-chart="chart-months"][data-drawn="true"]').waitFor({ timeout: kUiWait });
    await page.locator('[data-chronic-count]').waitFor();
    await page.locator('#roster-table').waitFor();
    assert.deepEqual(await accessibilityViolations(page), [], 'dashboard');
    // Search by keyboard, open a student with Enter, walk the calendar with the arrow keys.
    await page.getByLabel('Search students').focus();
    const student = a.users[7];
    await page.keyboard.type(student.name);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: student.name }).waitFor();
    await page.locator('.calendar-box[data-ready="true"]').waitFor({ timeout: kUiWait });
    const chosen = page.locator('.calendar button[aria-pressed="true"]');
    const start = await chosen.getAttribute('data-date');
    await chosen.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    const previous = addDays(start, -1);
    if (previous.slice(0, 7) === start.slice(0, 7)) {
      await page.locator(`.calendar button[data-date="${previous}"][aria-pressed="true"]`).waitFor();
      await page.locator('#day-title').filter({ hasText: String(Number(previous.slice(8))) }).waitFor();
    }
    assert.deepEqual(await accessibilityViolations(page), [], 'student page');
    await context.close();
  });

  test('a browser clock 12 hours off still shows the server\'s today (from the Date header), not its own', async () => {
    const { context, page } = await open();
    const kSkew = 12 * 3600_000;
    // A laptop whose clock is 12 hours off, in whichever direction lands on another day of the (UTC) school.
    const skew = new Date(Date.now() + kSkew).toISOString().slice(0, 10) !== a.today ? kSkew : -kSkew;
    await page.clock.install({ time: Date.now() + skew });
    const asked = [];   // the days of every dated request: date=, to= of the reports, from= of the fever list
    page.on('request', (r) => {
      const url = new URL(r.url());
      for (const key of url.pathname.endsWith('/fever_events') ? ['from'] : ['date', 'to']) {
        if (url.searchParams.has(key)) asked.push(`${key}=${url.searchParams.get(key)}`);
      }
    });
    await signIn(page, schoolAdmin.secret);
    assert.notEqual(await page.evaluate(() => new Date().toISOString().slice(0, 10)), a.today, 'the browser\'s own day is another one');
    const subtitle = page.locator('.subtitle[data-today]');
    await subtitle.waitFor({ timeout: kUiWait });
    assert.equal(await subtitle.getAttribute('data-today'), a.today);
    assert.match(await subtitle.textContent(), new RegExp(`^${dayLabel(a.today)} · `));
    const day = await aggregate(admin, a.school.id, { period: 'day', date: a.today });
    assert.deepEqual(await tileData(page, 'present-today'), { value: day.present, total: day.total, text: String(day.present) });
    await page.waitForFunction((label) => [...document.querySelectorAll('figure[data-chart="chart-days"] tbody tr th')].at(-1)?.textContent === label,
      dayLabel(a.today), { timeout: kUiWait });
    await page.locator(`[data-chronic-count][data-to="${addDays(a.today, -1)}"]`).waitFor({ timeout: kUiWait });
    assert.equal(await page.locator('#report-date').getAttribute('max'), a.today);
    // The series end today, the chronic window yesterday, the fever list starts at today's midnight.
    const days = [`date=${a.today}`, `to=${a.today}`, `to=${addDays(a.today, -1)}`, `from=${a.today}T00:00:00Z`];
    assert.ok(asked.includes(`from=${a.today}T00:00:00Z`) && asked.includes(`to=${a.today}`), asked.join(', '));
    assert.deepEqual(asked.filter((p) => !days.includes(p)), [], 'every dated request is of the server\'s today');
    await context.close();
  });

  test('at the school\'s midnight the whole page moves to the new day', async () => {
    const { context, page } = await open();
    // Two minutes before the (UTC) school's midnight of the server's today, then past it.
    await serverClockFollowsBrowser(page);
    await page.clock.install({ time: new Date(`${a.today}T23:58:00Z`) });
    await signIn(page, schoolAdmin.secret);
    await page.locator('figure[data-chart="chart-days"][data-drawn="true"]').waitFor({ timeout: kUiWait });
    await page.locator(`[data-chronic-count][data-to="${addDays(a.today, -1)}"]`).waitFor({ timeout: kUiWait });
    await page.locator('.fever-list .events').waitFor({ timeout: kUiWait });
    const subtitle = page.locator('.subtitle');
    assert.equal(await subtitle.getAttribute('data-today'), a.today);
    assert.match(await subtitle.textContent(), new RegExp(`^${dayLabel(a.today)} · .*present on a day: in school now or more than 4 h in school that day`));
    assert.equal(await page.locator('#report-date').getAttribute('max'), a.today);

    const tomorrow = addDays(a.today, 1);
    const asks = (text) => page.waitForRequest((r) => decodeURIComponent(r.url()).includes(text), { timeout: kUiWait });
    const tilesAsked = asks(`period=day&date=${tomorrow}`);
    const feverAsked = asks(`fever_events?from=${tomorrow}T00:00:00Z&to=${addDays(tomorrow, 1)}T00:00:00Z`);
    await page.clock.fastForward('03:00');
    await page.locator(`.subtitle[data-today="${tomorrow}"]`).waitFor({ timeout: kUiWait });
    assert.match(await subtitle.textContent(), new RegExp(`^${dayLabel(tomorrow)} · `));
    // Today's fever alerts are yesterday's now: the new day has none yet.
    await page.locator('.fever-list .empty').waitFor({ timeout: kUiWait });
    await page.waitForFunction(() => document.querySelector('[data-tile="fever-today"]')?.dataset.value === '0', null, { timeout: kUiWait });
    // The fever list and the tiles ask for the same day as the rest of the page.
    await Promise.all([feverAsked, tilesAsked]);
    // The 30-day chart ends on the new day, the chronic window on the day before it, the report's date too.
    await page.waitForFunction((label) => [...document.querySelectorAll('figure[data-chart="chart-days"] tbody tr th')].at(-1)?.textContent === label,
      dayLabel(tomorrow), { timeout: kUiWait });
    await page.locator(`[data-chronic-count][data-to="${a.today}"]`).waitFor({ timeout: kUiWait });
    assert.equal(await page.locator('#report-date').getAttribute('max'), tomorrow);
    assert.equal(await page.locator('#report-date').inputValue(), tomorrow);
    await context.close();
  });

  test('fever alerts: newest first by time, counted by student, with card numbers', async () => {
    const { context, page } = await open();
    await signIn(page, schoolAdmin.secret);
    await page.locator('#live-status[data-state="live"]').waitFor({ timeout: kUiWait });
    await page.locator('.fever-list .events').waitFor({ timeout: kUiWait });
    const [late, early] = [a.notIn[4], a.notIn[5]];
    const midnight = Date.parse(`${a.today}T00:00:00Z`);
    const at = (share) => new Date(midnight + Math.floor((Date.now() - midnight) * share)).toISOString();
    // Recorded in this order: a later reading first, then an earlier one (a kiosk's late batch).
    await admin.post('/api/attendances', { attendance: { user_id: late.id, type: 'checkin', temperature: 38.5, timestamp: at(0.3) } });
    await admin.post('/api/attendances', { attendance: { user_id: late.id, type: 'checkout', temperature: 38.3, timestamp: at(0.35) } });
    await admin.post('/api/attendances', { attendance: { user_id: early.id, type: 'checkin', temperature: 38.7, timestamp: at(0.05) } });
    const toast = page.locator('[data-toast="fever"]').filter({ hasText: late.name }).first();
    await toast.waitFor({ timeout: kUiWait });
    assert.ok((await toast.textContent()).includes(`(${late.external_id})`), 'the toast names the card');

    const from = `${a.today}T00:00:00Z`;
    const to = `${addDays(a.today, 1)}T00:00:00Z`;
    // Every reading is recorded now: wait until the list holds them (in whatever order), then check the order.
    const fever = await admin.get(`/api/schools/${a.school.id}/fever_events?from=${from}&to=${to}&limit=1000`);
    assert.ok(fever.length >= 3 && fever.length <= 20);
    await page.waitForFunction((ids) => {
      const shown = [...document.querySelectorAll('.fever-list li[data-event-id]')].map((li) => Number(li.dataset.eventId)).sort((x, y) => x - y);
      return JSON.stringify(shown) === JSON.stringify(ids);
    }, fever.map((e) => e.id).sort((x, y) => x - y), { timeout: kUiWait });
    const shown = await page.locator('.fever-list li time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')));
    const expected = [...fever].sort((x, y) => Date.parse(y.timestamp) - Date.parse(x.timestamp)).map((e) => e.timestamp).slice(0, 20);
    assert.deepEqual(shown, expected, 'newest reading first');
    const rows = await page.locator('.fever-list li').evaluateAll((lis) => lis.map((li) => li.textContent));
    assert.ok(rows.indexOf(rows.find((r) => r.includes(late.name) && r.includes('38.3'))) < rows.indexOf(rows.find((r) => r.includes(early.name))));
    for (const e of fever.slice(0, 20)) {
      const card = a.users.find((u) => u.id === e.user_id).external_id;
      assert.equal(await page.locator(`.fever-list li[data-event-id="${e.id}"] .card-number`).textContent(), ` (${card})`);
    }
    const tile = await tileData(page, 'fever-today');
    assert.equal(tile.value, new Set(fever.map((e) => e.user_id)).size, 'students, not readings');
    assert.equal(Number(await page.locator('[data-tile="fever-today"]').getAttribute('data-readings')), fever.length);
    assert.ok(tile.value < fever.length);
    await context.close();
  });

  test('a school without students says so on its tiles', async () => {
    const empty = await admin.post('/api/schools', { school: { name: 'Empty Academy', timezone: 'UTC', school_days: [1, 2, 3, 4, 5, 6, 7] } });
    const { context, page } = await open();
    await signIn(page, server.adminToken);
    await page.getByRole('heading', { name: 'Choose a school' }).waitFor();
    await page.goto(`${server.url}/#/schools/${empty.id}`);
    const day = await aggregate(admin, empty.id, { period: 'day' });
    assert.ok(day.school_days === 1 && day.total === 0);
    for (const id of ['present-today', 'absent-today', 'week-rate', 'month-rate']) {
      const tile = page.locator(`[data-tile="${id}"][data-ready="true"]`);
      await tile.waitFor({ timeout: kUiWait });
      assert.equal(await tile.locator('.tile-value').textContent(), '–', id);
      assert.equal(await tile.locator('.tile-sub').textContent(), 'No students yet', id);
    }
    await context.close();
  });

  test('"Cannot reach the server" tries again by itself', async () => {
    const { context, page } = await open();
    await signIn(page, schoolAdmin.secret);
    await page.getByRole('heading', { level: 1, name: 'Riverside Primary' }).waitFor();
    await page.route('**/api/**', (route) => route.abort('connectionrefused'));
    await page.reload();
    await page.getByRole('heading', { name: 'Cannot reach the server' }).waitFor({ timeout: kUiWait });
    assert.match(await page.locator('[data-message="unreachable"]').textContent(), /tries again by itself in \d+ s/);
    await page.unroute('**/api/**');
    // No click: the page comes back on its own (first retry after about 2 s).
    await page.getByRole('heading', { level: 1, name: 'Riverside Primary' }).waitFor({ timeout: kUiWait });
    await page.locator('[data-tile="present-today"][data-ready="true"]').waitFor({ timeout: kUiWait });
    await context.close();
  });

  test('while the live stream is down the live tiles say so, and come back with it', async () => {
    const { context, page } = await open();
    await page.clock.install();
    await signIn(page, schoolAdmin.secret);
    await page.locator('#live-status[data-state="live"]').waitFor({ timeout: kUiWait });
    const now = page.locator('[data-tile="checked-in-now"]');
    assert.equal(await now.getAttribute('data-live'), 'live');
    assert.equal(await now.locator('.badge-live').textContent(), 'live');
    // The server stops answering; the stream stays silent past its 40 s bound and cannot come back.
    await page.route('**/api/**', (route) => route.abort('connectionrefused'));
    await page.clock.fastForward('00:45');
    await page.locator('[data-tile="checked-in-now"][data-live="reconnecting"]').waitFor({ timeout: kUiWait });
    assert.match(await now.locator('.badge-live').textContent(), /^reconnecting · as of \d\d:\d\d$/);
    assert.equal(await page.locator('[data-tile="fever-today"]').getAttribute('data-live'), 'reconnecting');
    assert.deepEqual(await accessibilityViolations(page), [], 'dashboard while reconnecting');
    await page.unroute('**/api/**');
    await page.clock.fastForward('00:35');   // past the longest backoff so far
    await page.locator('[data-tile="checked-in-now"][data-live="live"]').waitFor({ timeout: kUiWait });
    assert.equal(await now.locator('.badge-live').textContent(), 'live');
    await context.close();
  });

  test('month labels carry the year; the 30-day chart\'s today follows live check-ins', async () => {
    const { context, page } = await open();
    await signIn(page, schoolAdmin.secret);
    const months = page.locator('figure[data-chart="chart-months"][data-drawn="true"]');
    await months.waitFor({ timeout: kUiWait });
    assert.match(await months.locator('canvas').getAttribute('aria-label'), /Latest [A-Z][a-z]{2} \d{4}: [\d.]+ % present/);
    const labels = await months.locator('tbody th').evaluateAll((ths) => ths.map((t) => t.textContent));
    assert.ok(labels.length >= 1 && labels.every((l) => /^[A-Z][a-z]{2} \d{4}$/.test(l)), labels.join(', '));

    await page.locator('figure[data-chart="chart-days"][data-drawn="true"]').waitFor({ timeout: kUiWait });
    await page.locator('#live-status[data-state="live"]').waitFor({ timeout: kUiWait });
    const lastBar = () => page.locator('figure[data-chart="chart-days"] tbody tr').last().evaluate((tr) => Number(tr.children[2].textContent));
    const present = (await tileData(page, 'present-today')).value;
    assert.equal(await lastBar(), present);
    await admin.post('/api/attendances', { attendance: { user_id: a.notIn[6].id, type: 'checkin', temperature: 36.6 } });
    await page.waitForFunction((n) => document.querySelector('[data-tile="present-today"]')?.dataset.value === String(n), present + 1, { timeout: kUiWait });
    await page.waitForFunction((n) => document.querySelector('figure[data-chart="chart-days"] tbody tr:last-child td:nth-child(3)')?.textContent === String(n),
      present + 1, { timeout: kUiWait });
    await context.close();
  });

  test('card numbers beside names in the chronic list; "Absent today" lists who', async () => {
    const { context, page } = await open();
    await signIn(page, schoolAdmin.secret);
    await page.locator('[data-chronic-count]').waitFor({ timeout: kUiWait });
    const chronic = await page.locator('.chronic tbody tr').evaluateAll((trs) => trs.map((tr) => [Number(tr.dataset.userId), tr.querySelector('.card-number')?.textContent]));
    assert.ok(chronic.length >= 1);
    for (const [id, card] of chronic) assert.equal(card, ` (${a.users.find((u) => u.id === id).external_id})`);

    const day = await aggregate(admin, a.school.id, { period: 'day', include: 'users' });
    await page.locator('[data-tile="absent-today"]').getByRole('button', { name: 'Show who' }).click();
    await page.locator('#absent-today-list[data-ready="true"]').waitFor({ timeout: kUiWait });
    const shown = await page.locator('#absent-today-list li').evaluateAll((lis) => lis.map((li) => Number(li.dataset.userId)).sort((x, y) => x - y));
    assert.deepEqual(shown, day.users.filter((u) => !u.present).map((u) => u.user_id).sort((x, y) => x - y));
    assert.deepEqual(await accessibilityViolations(page), [], 'dashboard with the absent list open');
    const first = day.users.filter((u) => !u.present).sort((x, y) => x.name.localeCompare(y.name))[0];
    await page.locator('#absent-today-list').getByRole('link', { name: first.name, exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: first.name }).waitFor();
    assert.match(page.url(), new RegExp(`#/schools/${a.school.id}/students/${first.user_id}`));
    await context.close();
  });

  test('screenshots at phone and desktop sizes', async () => {
    for (const [label, viewport] of [['desktop', kDesktop], ['phone', kPhone]]) {
      const { context, page, errors } = await open(viewport);
      await page.goto(`${server.url}/`);
      await page.getByLabel('API token').waitFor();
      await page.screenshot({ path: path.join(screenshots, `sign-in-${label}.png`) });
      await signIn(page, schoolAdmin.secret);
      await page.locator('figure[data-chart="chart-months"][data-drawn="true"]').waitFor({ timeout: kUiWait });
      await page.locator('#roster-table').waitFor();
      await page.locator('[data-chronic-count]').waitFor();
      await page.locator('#live-status[data-state="live"]').waitFor({ timeout: kUiWait });
      await page.screenshot({ path: path.join(screenshots, `dashboard-${label}.png`) });
      await page.screenshot({ path: path.join(screenshots, `dashboard-${label}-full.png`), fullPage: true });
      await page.goto(`${server.url}/#/schools/${a.school.id}/students/${a.users[3].id}`);
      await page.locator('.calendar-box[data-ready="true"]').waitFor({ timeout: kUiWait });
      await page.screenshot({ path: path.join(screenshots, `student-${label}.png`), fullPage: true });
      assert.deepEqual(errors, []);
      await context.close();
    }
  });
});
