// Browser tests of a student's page: today in progress says what is known so far (never a
// verdict), only the current month is "so far", days still to come differ from days without
// school, closures show their reason, and the page is drawn again at the school's midnight: a
// page showing today follows the new today, a day picked stays, and the address agrees with both.
//
//   (cd web && npm ci && npm run build) && (cd tests/e2e && npm ci) && node tests/e2e/run.mjs tests/e2e/student.test.mjs

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { kDesktop, kPhone, kUiWait, launchBrowser } from './support/browser.mjs';
import { serverClockFollowsBrowser } from './support/clock.mjs';
import { Api, addDays, dayLabel, seedSchool } from './support/seed.mjs';
import { repoRoot, startServer } from './support/server.mjs';

const screenshots = path.join(repoRoot, 'build', 'screenshots');

let server;
let browser;
let admin;
let a;          // a seeded school, every day a school day (UTC)
let weekdays;   // a school of Monday to Friday, with closures in the previous and the next month

const monthStart = (date, months = 0) => {
  const [y, m] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 + months, 1)).toISOString().slice(0, 10);
};
const isoWeekday = (date) => new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
// The first date from `date` on whose ISO weekday is `weekday`.
const firstWeekday = (date, weekday) => addDays(date, (weekday - isoWeekday(date) + 7) % 7);
const longDay = (date) => new Intl.DateTimeFormat('en', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
const hhmm = (ms) => new Date(ms).toISOString().slice(11, 16);
// As the page writes a time in school: "41 min", "1 h 05 min".
const duration = (seconds) => {
  const minutes = Math.floor(seconds / 60);
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min` : `${minutes} min`;
};
const aggregate = (schoolId, query) => admin.get(`/api/attendances/aggregate/school/${schoolId}?${new URLSearchParams(query)}`);

before(async () => {
  server = await startServer();
  admin = new Api(server.apiUrl, server.adminToken);
  a = await seedSchool(admin, { name: 'Maple Lane School', students: 12, history: 40, seed: 5 });
  const school = await admin.post('/api/schools', { school: { name: 'Weekday School', timezone: 'UTC', school_days: [1, 2, 3, 4, 5] } });
  const previous = monthStart(a.today, -1);
  const next = monthStart(a.today, 1);
  const student = await admin.post('/api/users', { user: { name: 'Noor Weekday', school_id: school.id, enrolled_on: previous } });
  weekdays = {
    school, student, previous, next,
    pastClosure: firstWeekday(previous, 3),     // a Wednesday
    plannedClosure: firstWeekday(next, 4),      // a Thursday
  };
  await admin.post(`/api/schools/${school.id}/closures`, { closure: { date: weekdays.pastClosure, reason: 'Teacher training day' } });
  await admin.post(`/api/schools/${school.id}/closures`, { closure: { date: weekdays.plannedClosure, reason: 'Sports day' } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// A fresh tab opened at the student's address; signing in leads back to it.
async function openStudent(schoolId, userId, query = '', setup = async () => {}) {
  const context = await browser.newContext({ viewport: kDesktop, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await setup(page);
  await page.goto(`${server.url}/#/schools/${schoolId}/students/${userId}${query}`);
  await page.getByLabel('API token').fill(server.adminToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.calendar-box[data-ready="true"]').waitFor({ timeout: kUiWait });
  return { context, page };
}

const cell = (page, date) => page.locator(`.calendar button[data-date="${date}"]`);
const facts = (page) => page.locator('.day-facts');
// The day's sentence once the day's check-ins are in (today's names the times then).
const factsOnceLoaded = async (page) => {
  await page.locator('.day-events:not([aria-busy])').waitFor({ timeout: kUiWait });
  return facts(page).textContent();
};

describe('student page', () => {
  test('today is in progress: what is known so far, not "absent" for one who left, not a verdict for one in school', async () => {
    const [left, inNow, notYet] = a.notIn;   // no event of today in the seed
    const midnight = Date.parse(`${a.today}T00:00:00Z`);
    const elapsed = Date.now() - midnight;
    const second = (ms) => Math.floor(ms / 1000) * 1000;
    const checkin = second(midnight + elapsed * 0.3);
    const checkout = checkin + second(Math.min(41 * 60_000, elapsed * 0.3));
    const post = (user, type, at) => admin.post('/api/attendances',
      { attendance: { user_id: user.id, type, temperature: 36.6, ...(at ? { timestamp: new Date(at).toISOString() } : {}) } });
    await post(left, 'checkin', checkin);
    await post(left, 'checkout', checkout);
    await post(inNow, 'checkin');
    const rowOf = async (user) => (await aggregate(a.school.id, { period: 'day', date: a.today, include: 'users', user_id: user.id }))
      .users.find((u) => u.user_id === user.id);

    // Gone home early: the API says not present (yet); the page says when they left.
    const leftRow = await rowOf(left);
    assert.equal(leftRow.present, false);
    assert.equal(leftRow.seconds, (checkout - checkin) / 1000);
    let { context, page } = await openStudent(a.school.id, left.id);
    assert.equal(await cell(page, a.today).getAttribute('data-state'), 'not-in-school-now');
    assert.equal(await cell(page, a.today).getAttribute('aria-label'), `${longDay(a.today)}: not in school now, ${duration(leftRow.seconds)} so far`);
    assert.equal(await factsOnceLoaded(page), `Checked out at ${hhmm(checkout)} · ${duration(leftRow.seconds)} so far`);
    assert.match(await page.locator('.month-summary').textContent(), /so far/);
    // The dashboard's one form of a day and of a month (dates.ts), not a second, longer one.
    assert.equal(await page.locator('#day-title').textContent(), dayLabel(a.today));
    assert.match(await page.locator('.subtitle').textContent(), new RegExp(`enrolled on ${dayLabel(left.enrolled_on)} ·`));
    const [year, month] = a.today.split('-').map(Number);
    assert.equal(await page.locator('#month-title').textContent(),
      `${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][month - 1]} ${year}`);
    await page.screenshot({ path: path.join(screenshots, 'student-today-desktop.png'), fullPage: true });
    await context.close();

    // In school now, not past min_daily_hours: the API counts them present, but only while there.
    const inRow = await rowOf(inNow);
    assert.ok(inRow.present && inRow.seconds < 4 * 3600);
    ({ context, page } = await openStudent(a.school.id, inNow.id));
    assert.equal(await cell(page, a.today).getAttribute('data-state'), 'in-school-now');
    assert.match(await factsOnceLoaded(page), /^In school now since \d\d:\d\d · \d+ min so far · present for the day after more than 4 h$/);
    await context.close();

    // Not arrived (yet): no cross, no "absent".
    ({ context, page } = await openStudent(a.school.id, notYet.id));
    assert.equal(await cell(page, a.today).getAttribute('data-state'), 'not-in-school-now');
    assert.equal(await cell(page, a.today).locator('.day-mark').textContent(), '…');
    assert.equal(await factsOnceLoaded(page), 'Not in school yet today');
    await context.close();
  });

  test('a finished month is not "so far"; the current one is', async () => {
    const student = a.users[1];
    const previous = monthStart(a.today, -1);
    const report = await aggregate(a.school.id, { period: 'month', date: previous, include: 'users', user_id: student.id });
    const row = report.users.find((u) => u.user_id === student.id);
    assert.ok(row && row.school_days > 1, 'the seed reaches into the previous month');
    const { context, page } = await openStudent(a.school.id, student.id, `?month=${previous.slice(0, 7)}`);
    assert.equal(await page.locator('.month-summary').textContent(),
      `Present on ${row.present_days} of ${row.school_days} school days: ${row.present ? 'present' : 'absent'} for the month.`);
    // The current month, by the "Next" link.
    await page.getByRole('link', { name: /^Next month/ }).click();
    await page.locator(`.calendar button[data-date="${a.today}"]`).waitFor({ timeout: kUiWait });
    await page.locator('.month-summary[data-school-days]').waitFor({ timeout: kUiWait });
    assert.match(await page.locator('.month-summary').textContent(), /^Present on \d+ of \d+ school days? so far, today included: (present|absent) for the month so far\.$/);
    await context.close();
  });

  test('days to come differ from days without school, and a closure shows its reason', async () => {
    const { school, student, previous, next, pastClosure, plannedClosure } = weekdays;
    // A month gone by: a Saturday is no school, the closure gives its reason.
    let { context, page } = await openStudent(school.id, student.id, `?month=${previous.slice(0, 7)}`);
    const saturday = firstWeekday(previous, 6);
    assert.equal(await cell(page, saturday).getAttribute('data-state'), 'no-school');
    await cell(page, saturday).click();
    assert.equal(await facts(page).textContent(), 'No school on this day: Saturdays are not school days.');
    const closed = cell(page, pastClosure);
    assert.equal(await closed.getAttribute('data-state'), 'closed');
    assert.equal(await closed.getAttribute('aria-label'), `${longDay(pastClosure)}: school closed: Teacher training day`);
    assert.equal(await closed.locator('.day-mark').textContent(), 'closed');
    await closed.click();
    assert.equal(await facts(page).textContent(), 'School closed: Teacher training day');
    await context.close();

    // The next month: not yet, except its weekends (no school) and its planned closure.
    ({ context, page } = await openStudent(school.id, student.id, `?month=${next.slice(0, 7)}`));
    assert.equal(await page.locator('.month-summary').textContent(), 'This month has not begun yet.');
    assert.equal(await page.getByRole('button', { name: 'Next ›' }).getAttribute('title'), 'This month has not begun yet');
    const monday = firstWeekday(next, 1);
    const sunday = firstWeekday(next, 7);
    assert.equal(await cell(page, monday).getAttribute('data-state'), 'future');
    assert.equal(await cell(page, monday).getAttribute('aria-label'), `${longDay(monday)}: not yet`);
    assert.equal(await cell(page, sunday).getAttribute('data-state'), 'no-school');
    const look = (date) => cell(page, date).evaluate((b) => {
      const style = getComputedStyle(b);
      return { border: style.borderTopStyle, background: style.backgroundColor };
    });
    const [future, noSchool] = [await look(monday), await look(sunday)];
    assert.notEqual(future.border, noSchool.border, 'a day to come is outlined differently, not only coloured');
    assert.notEqual(future.background, noSchool.background);
    assert.equal((await page.locator('.legend li[data-state="future"]').textContent()).trim(), 'not yet');
    const planned = cell(page, plannedClosure);
    assert.equal(await planned.getAttribute('data-state'), 'closed');
    await planned.click();
    assert.equal(await facts(page).textContent(), 'School closed: Sports day');
    await page.screenshot({ path: path.join(screenshots, 'student-next-month-desktop.png'), fullPage: true });
    await page.setViewportSize(kPhone);
    await page.screenshot({ path: path.join(screenshots, 'student-next-month-phone.png'), fullPage: true });
    await context.close();
  });

  // The page's address and its chosen day, its month and the day's heading.
  const shown = (page) => page.evaluate(() => ({
    hash: location.hash,
    pressed: document.querySelector('.calendar button[aria-pressed="true"]')?.dataset.date,
    title: document.querySelector('#day-title')?.textContent,
  }));
  // Waits for the page to be drawn anew (at the school's midnight, or after Back / Forward).
  const redrawn = async (page, step) => {
    await page.locator('.calendar').evaluate((c) => { c.dataset.old = 'true'; });
    await step();
    await page.locator('.calendar-box[data-ready="true"] .calendar:not([data-old])').waitFor({ timeout: kUiWait });
    await page.locator('#day-title').waitFor({ timeout: kUiWait });
  };
  const studentPage = (school, user) => `#/schools/${school.id}/students/${user.id}`;
  const beforeMidnight = async (p) => {
    await serverClockFollowsBrowser(p);
    await p.clock.install({ time: new Date(`${a.today}T23:58:00Z`) });
  };

  test('at the school\'s midnight a page showing today moves to the new today, its address too; the day that ended gets its verdict', async () => {
    const student = a.notIn[3];   // no event of today
    const tomorrow = addDays(a.today, 1);
    // Two minutes before the (UTC) school's midnight of the server's today, then past it.
    const { context, page } = await openStudent(a.school.id, student.id, '', beforeMidnight);
    assert.equal(await cell(page, a.today).getAttribute('data-state'), 'not-in-school-now');
    assert.equal(await factsOnceLoaded(page), 'Not in school yet today');
    // Today is the bare address: it follows today.
    assert.deepEqual(await shown(page), { hash: studentPage(a.school, student), pressed: a.today, title: dayLabel(a.today) });
    await redrawn(page, () => page.clock.fastForward('03:00'));
    assert.deepEqual(await shown(page), { hash: studentPage(a.school, student), pressed: tomorrow, title: dayLabel(tomorrow) });
    // The server's own clock has not reached that midnight (here by the whole day; around a real
    // midnight by a moment): it counts no school day yet for the page's new today. That is a
    // school day not begun, not a day without school.
    assert.equal(await cell(page, tomorrow).getAttribute('data-state'), 'not-in-school-now');
    assert.equal(await factsOnceLoaded(page), 'Not in school yet today');
    // A reload (or the same link opened now) shows the new today as well.
    await redrawn(page, () => page.reload());
    assert.deepEqual(await shown(page), { hash: studentPage(a.school, student), pressed: tomorrow, title: dayLabel(tomorrow) });
    // The day that ended: now a verdict, in the calendar and the day's sentence.
    await page.goto(`${server.url}/${studentPage(a.school, student)}?day=${a.today}`);
    await page.locator(`.calendar button[data-date="${a.today}"][data-state="absent"][aria-pressed="true"]`).waitFor({ timeout: kUiWait });
    await page.locator('.day-facts[data-state="absent"]').waitFor({ timeout: kUiWait });
    assert.match(await facts(page).textContent(), /^Absent · 0 min in school$/);
    await context.close();
  });

  test('a day chosen in the past stays chosen past the school\'s midnight; Back and Forward keep working', async () => {
    const student = a.users[2];
    const tomorrow = addDays(a.today, 1);
    const previous = monthStart(a.today, -1);
    const { context, page } = await openStudent(a.school.id, student.id, '', beforeMidnight);
    // The month before (a new history entry), then one of its days chosen (the same entry).
    await redrawn(page, () => page.getByRole('link', { name: /^Previous month/ }).click());
    await cell(page, previous).click();
    await page.locator(`#day-title:text-is("${dayLabel(previous)}")`).waitFor({ timeout: kUiWait });
    const chosen = { hash: `${studentPage(a.school, student)}?month=${previous.slice(0, 7)}&day=${previous}`, pressed: previous, title: dayLabel(previous) };
    assert.deepEqual(await shown(page), chosen);
    await redrawn(page, () => page.clock.fastForward('03:00'));
    assert.deepEqual(await shown(page), chosen);
    // Back: the page that showed today shows the new today; Forward: the chosen day again.
    await redrawn(page, () => page.goBack());
    assert.deepEqual(await shown(page), { hash: studentPage(a.school, student), pressed: tomorrow, title: dayLabel(tomorrow) });
    await redrawn(page, () => page.goForward());
    assert.deepEqual(await shown(page), chosen);
    await context.close();
  });
});
