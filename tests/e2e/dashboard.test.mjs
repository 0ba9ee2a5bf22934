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
import { Api, addDays, createToken, seedSchool } from './support/seed.mjs';
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
    assert.equal((await tileData(page, 'fever-today')).value, fever.length);
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
      const expected = row ? (row.present ? 'present' : 'absent') : 'no-school';
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
    await page.getByRole('button', { name: 'Retry' }).click();
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
