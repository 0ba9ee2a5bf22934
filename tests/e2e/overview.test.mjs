// Browser tests of the dashboard's overview after a school admin's review: the period in progress
// marked as such (today's present and absent on a school day only), a rate axis scaled to the data, the student search one Tab away and forgiving
// of case and accents, a closure's reason on the tiles and in the 30-day table, chronic-absence
// links opening the window's end, one day report per refresh while "Absent today" is open,
// failed sections retried when the live stream comes back, and one form per purpose for dates.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { kDesktop, launchBrowser, kUiWait } from './support/browser.mjs';
import { serverClockFollowsBrowser } from './support/clock.mjs';
import { Api, addDays, createToken, dayLabel, seedSchool } from './support/seed.mjs';
import { startServer } from './support/server.mjs';

let server;
let browser;
let admin;
let main;       // a school with 70 days of history
let closed;     // a school closed today (and on one day before)
let token;      // main's school_admin
let closedToken;
let noSchoolToken;   // a school for which today's weekday is not a school day
const kClosedToday = 'Snow day';
const kClosedBefore = 'Teacher training';
let accented;   // students of main whose names carry accents and extra spaces

before(async () => {
  server = await startServer();
  admin = new Api(server.apiUrl, server.adminToken);
  [main, closed] = await Promise.all([
    seedSchool(admin, { name: 'Lakeside School', students: 30, history: 70, seed: 5 }),
    seedSchool(admin, { name: 'Closed Academy', students: 4, history: 10, seed: 9 }),
  ]);
  accented = [];
  for (const [name, card] of [['José  María García', 'ACC-0001'], ['Zoë Ødegård', 'ACC-0002']]) {
    accented.push(await admin.post('/api/users', { user: { name, school_id: main.school.id, external_id: card, enrolled_on: main.today } }));
  }
  await admin.post(`/api/schools/${closed.school.id}/closures`, { closure: { date: closed.today, reason: kClosedToday } });
  await admin.post(`/api/schools/${closed.school.id}/closures`, { closure: { date: addDays(closed.today, -3), reason: kClosedBefore } });
  token = (await createToken(admin, 'school_admin', main.school.id)).secret;
  closedToken = (await createToken(admin, 'school_admin', closed.school.id)).secret;
  const weekday = new Date(`${main.today}T00:00:00Z`).getUTCDay() || 7;
  const noSchool = await admin.post('/api/schools', { school: { name: 'Other Days School', timezone: 'UTC', school_days: [1, 2, 3, 4, 5, 6, 7].filter((d) => d !== weekday) } });
  await admin.post('/api/users', { user: { name: 'Ida Otherday', school_id: noSchool.id, enrolled_on: addDays(main.today, -7) } });
  noSchoolToken = (await createToken(admin, 'school_admin', noSchool.id)).secret;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// clock: true installs page.clock at the present; an instant installs it there, with the
// server's Date following it (support/clock.mjs).
async function open(secret = token, { clock = false } = {}) {
  const context = await browser.newContext({ viewport: kDesktop, deviceScaleFactor: 1 });
  const page = await context.newPage();
  if (clock instanceof Date) await serverClockFollowsBrowser(page);
  if (clock) await page.clock.install(clock === true ? undefined : { time: clock });
  await page.goto(`${server.url}/`);
  await page.getByLabel('API token').fill(secret);
  await page.keyboard.press('Enter');
  await page.locator('h1#school-title').filter({ hasNotText: 'Loading' }).waitFor({ timeout: kUiWait });
  return { context, page };
}

const aggregate = (schoolId, query) => admin.get(`/api/attendances/aggregate/school/${schoolId}?${new URLSearchParams(query)}`);
// The first day of the month `months` before the month of `date`.
function monthsBefore(date, months) {
  const [y, m] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 - months, 1)).toISOString().slice(0, 10);
}
const drawn = (page, id) => page.locator(`figure[data-chart="${id}"][data-drawn="true"]`).waitFor({ timeout: kUiWait });
const tableRows = (page, id) => page.locator(`figure[data-chart="${id}"] tbody tr`).evaluateAll((trs) => trs.map((tr) => ({
  inProgress: tr.dataset.inProgress === 'true',
  cells: [...tr.children].map((c) => c.textContent),
})));

describe('overview', () => {
  test('the week, month and day in progress are marked "so far", with the API\'s numbers', async () => {
    const { context, page } = await open();
    for (const [id, label] of [['week-rate', 'This week so far'], ['month-rate', 'This month so far'],
      ['present-today', 'Present today so far'], ['absent-today', 'Absent today so far']]) {
      const tile = page.locator(`[data-tile="${id}"][data-ready="true"]`);
      await tile.waitFor({ timeout: kUiWait });
      assert.equal(await tile.getAttribute('aria-label'), label);
      assert.equal(await tile.locator('.badge-so-far').textContent(), 'so far');
    }
    const [days, weeks, months] = await Promise.all([
      aggregate(main.school.id, { period: 'day', from: addDays(main.today, -29), to: main.today }),
      aggregate(main.school.id, { period: 'week', from: addDays(main.today, -77), to: main.today }),
      aggregate(main.school.id, { period: 'month', from: monthsBefore(main.today, 11), to: main.today }),
    ]);
    for (const [id, series] of [['chart-days', days.series], ['chart-weeks', weeks.series], ['chart-months', months.series]]) {
      await drawn(page, id);
      const rows = await tableRows(page, id);
      // Only the last row, the period containing today, is in progress; its numbers are the API's.
      assert.deepEqual(rows.map((r) => r.inProgress), rows.map((_, i) => i === rows.length - 1), id);
      const last = rows.at(-1);
      const expected = series.at(-1);
      assert.deepEqual([Number(last.cells[2]), Number(last.cells[3])], [expected.present, expected.absent], id);
      assert.match(last.cells[4], /^[\d.]+ % so far$/, id);
      assert.ok(rows.slice(0, -1).every((r) => !r.cells[4].includes('so far')), id);
      const figure = page.locator(`figure[data-chart="${id}"]`);
      assert.match(await figure.locator('[data-note="in-progress"]').textContent(), /so far/, id);
      assert.match(await figure.locator('canvas').getAttribute('aria-label'), /so far/, id);
    }
    const weeksLabel = await page.locator('figure[data-chart="chart-weeks"] canvas').getAttribute('aria-label');
    assert.match(weeksLabel, /this week is in progress\)\. Last complete week, Week of .+: [\d.]+ %\./);
    await context.close();
  });

  test('the rate axis starts near the lowest rate, and says it does not start at 0', async () => {
    const { context, page } = await open();
    for (const id of ['chart-weeks', 'chart-months']) {
      await drawn(page, id);
      const figure = page.locator(`figure[data-chart="${id}"]`);
      const min = Number(await figure.getAttribute('data-axis-min'));
      const rates = (await tableRows(page, id)).map((r) => Number.parseFloat(r.cells[4])).filter((r) => !Number.isNaN(r));
      const lowest = Math.min(...rates);
      assert.ok(lowest > 12, `${id}: the seed's rates are well above 0 (lowest ${lowest})`);
      // Drawn from a multiple of 10 below the lowest rate, within 12 points of it.
      assert.ok(min > 0 && min % 10 === 0 && min < lowest && lowest - min <= 12, `${id}: axis from ${min}, lowest rate ${lowest}`);
      assert.equal(await figure.locator('[data-note="axis"]').textContent(), `≈ The axis starts at ${min} %, not 0: differences look larger than on a full scale.`);
      assert.match(await figure.locator('canvas').getAttribute('aria-label'), new RegExp(`The axis starts at ${min} %, not 0\\.`));
    }
    await context.close();
  });

  test('the student search is a few Tab presses from the top', async () => {
    const { context, page } = await open();
    await page.locator('#roster-table').waitFor({ timeout: kUiWait });
    await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
    let presses = 0;
    while (presses < 8 && !(await page.evaluate(() => document.activeElement?.textContent === 'Find a student'))) {
      await page.keyboard.press('Tab');
      presses += 1;
    }
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Find a student', `not reached in ${presses} Tab presses`);
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'roster-search');
    await page.keyboard.type(accented[0].name);
    await page.locator(`#roster-table tbody tr[data-user-id="${accented[0].id}"]`).waitFor({ timeout: kUiWait });
    await context.close();
  });

  test('the student search finds names in any case, with or without accents and extra spaces, and card numbers', async () => {
    const { context, page } = await open();
    await page.getByLabel('Search students').focus();
    const found = () => page.locator('#roster-table tbody tr[data-user-id]').evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.userId)));
    const [jose, zoe] = accented;
    for (const [typed, expected] of [['jose maria', jose], ['JOSÉ', jose], ['  garcia   jose ', jose], ['zoe odegard', zoe], ['acc-0002', zoe],
      [main.users[4].name.toUpperCase(), main.users[4]], [main.users[4].external_id.toLowerCase(), main.users[4]]]) {
      await page.keyboard.press('Control+A');
      await page.keyboard.type(typed);
      await page.waitForFunction((id) => {
        const rows = [...document.querySelectorAll('#roster-table tbody tr[data-user-id]')];
        return rows.length === 1 && rows[0].dataset.userId === String(id);
      }, expected.id, { timeout: kUiWait }).catch(() => {});
      assert.deepEqual(await found(), [expected.id], `"${typed}"`);
    }
    await context.close();
  });

  test('a closure\'s reason: on today\'s tiles and on its day in the 30-day table', async () => {
    const { context, page } = await open(closedToken);
    for (const id of ['present-today', 'absent-today']) {
      const tile = page.locator(`[data-tile="${id}"][data-closure]`);
      await tile.waitFor({ timeout: kUiWait });
      assert.equal(await tile.locator('.tile-sub').textContent(), `No school today · closed: ${kClosedToday}`, id);
    }
    await drawn(page, 'chart-days');
    const closures = await page.locator('figure[data-chart="chart-days"] tbody [data-closure]').evaluateAll((cells) => cells.map((c) => c.dataset.closure));
    assert.deepEqual(closures, [`closed: ${kClosedBefore}`, `closed: ${kClosedToday}`]);
    await context.close();
  });

  test('today\'s present and absent are "so far" on a school day only, not on a closed day or a day without school', async () => {
    const marks = (page, id) => page.locator(`[data-tile="${id}"]`).evaluate((t) => ({
      label: t.getAttribute('aria-label'), badge: t.querySelector('.badge-so-far')?.textContent ?? null, dashed: t.classList.contains('tile-so-far'),
    }));
    const notSoFar = (label) => ({ label, badge: null, dashed: false });
    for (const secret of [closedToken, noSchoolToken]) {
      const { context, page } = await open(secret);
      for (const id of ['present-today', 'absent-today']) {
        await page.locator(`[data-tile="${id}"][data-ready="true"]`).waitFor({ timeout: kUiWait });
        assert.match(await page.locator(`[data-tile="${id}"] .tile-sub`).textContent(), /^No school today/);
      }
      assert.deepEqual(await marks(page, 'present-today'), notSoFar('Present today'));
      assert.deepEqual(await marks(page, 'absent-today'), notSoFar('Absent today'));
      await context.close();
    }

    // Two minutes before the school's midnight, into a closed day: the marks go with the day.
    const tomorrow = addDays(main.today, 1);
    await admin.post(`/api/schools/${main.school.id}/closures`, { closure: { date: tomorrow, reason: 'Staff day' } });
    const { context, page } = await open(token, { clock: new Date(`${main.today}T23:58:00Z`) });
    await page.locator('[data-tile="absent-today"][data-ready="true"][aria-label="Absent today so far"]').waitFor({ timeout: kUiWait });
    assert.deepEqual(await marks(page, 'present-today'), { label: 'Present today so far', badge: 'so far', dashed: true });
    await page.clock.fastForward('03:00');
    await page.locator(`.subtitle[data-today="${tomorrow}"]`).waitFor({ timeout: kUiWait });
    for (const id of ['present-today', 'absent-today']) {
      await page.locator(`[data-tile="${id}"][data-closure="closed: Staff day"]`).waitFor({ timeout: kUiWait });
    }
    assert.deepEqual(await marks(page, 'present-today'), notSoFar('Present today'));
    assert.deepEqual(await marks(page, 'absent-today'), notSoFar('Absent today'));
    await context.close();
  });

  test('a chronic-absence link opens the student on the window\'s last day, yesterday', async () => {
    const { context, page } = await open();
    const link = page.locator('.chronic tbody tr th a').first();
    await link.waitFor({ timeout: kUiWait });
    const name = await link.textContent();
    await link.click();
    await page.getByRole('heading', { level: 1, name }).waitFor({ timeout: kUiWait });
    await page.locator('.calendar-box[data-ready="true"]').waitFor({ timeout: kUiWait });
    assert.equal(await page.locator('.calendar button[aria-pressed="true"]').getAttribute('data-date'), addDays(main.today, -1));
    await context.close();
  });

  test('while "Absent today" is open, a tile refresh asks for the day report once', async () => {
    const { context, page } = await open();
    await page.locator('#live-status[data-state="live"]').waitFor({ timeout: kUiWait });
    await page.locator('[data-tile="absent-today"]').getByRole('button', { name: 'Show who' }).click();
    await page.locator('#absent-today-list[data-ready="true"]').waitFor({ timeout: kUiWait });
    const arriving = main.notIn[2];
    await page.locator(`#absent-today-list li[data-user-id="${arriving.id}"]`).waitFor();
    const present = Number(await page.locator('[data-tile="present-today"]').getAttribute('data-value'));

    const dayReports = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.includes('/aggregate/') && url.searchParams.get('period') === 'day' && url.searchParams.has('date')) dayReports.push(url.search);
    });
    await admin.post('/api/attendances', { attendance: { user_id: arriving.id, type: 'checkin', temperature: 36.6 } });
    // The refresh is done once both the counts and the list show the arrival.
    await page.waitForFunction(([id, n]) => document.querySelector('[data-tile="present-today"]')?.dataset.value === String(n)
      && document.querySelector('#absent-today-list[data-ready="true"] ul') !== null
      && document.querySelector(`#absent-today-list li[data-user-id="${id}"]`) === null, [arriving.id, present + 1], { timeout: kUiWait });
    assert.equal(dayReports.length, 1, dayReports.join(', '));
    assert.match(dayReports[0], /include=users/);
    await context.close();
  });

  test('dates: one form for a day, a run of days, a month and a time, all over the page', async () => {
    const { context, page } = await open();
    await Promise.all(['chart-days', 'chart-weeks', 'chart-months'].map((id) => drawn(page, id)));
    await page.locator('#roster-table').waitFor({ timeout: kUiWait });
    await page.locator('[data-chronic-count]').waitFor({ timeout: kUiWait });
    await page.locator('.fever-list time').first().waitFor({ timeout: kUiWait });
    await page.locator('[data-tile="week-rate"][data-ready="true"]').waitFor({ timeout: kUiWait });
    const texts = (selector) => page.locator(selector).evaluateAll((els) => els.map((e) => e.textContent));
    const day = '(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4}';
    const range = `(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)( \\d{4})? – ${day}`;
    const all = (values, pattern, where) => {
      assert.ok(values.length > 0, `${where}: nothing shown`);
      for (const v of values) assert.match(v, new RegExp(`^${pattern}$`), where);
    };
    const subtitle = await page.locator('.subtitle').textContent();
    assert.equal(subtitle.split(' · ')[0], dayLabel(main.today), 'the subtitle\'s day');
    all(await texts('figure[data-chart="chart-days"] tbody th'), day, 'the 30-day table');
    all((await texts('figure[data-chart="chart-weeks"] tbody th')).map((t) => t.replace(/^Week of /, '')), day, 'the 12-week table');
    all(await texts('figure[data-chart="chart-months"] tbody th'), '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4}', 'the 12-month table');
    all(await texts('#roster-table tbody td.optional'), day, 'the roster\'s enrolment dates');
    all((await texts('[data-tile="week-rate"] .tile-sub, [data-tile="month-rate"] .tile-sub')).map((t) => t.split(' · ')[1]), range, 'the week and month tiles');
    all([(await page.locator('[data-chronic-count]').textContent()).match(/\((.*)\)/)?.[1] ?? ''], range, 'the chronic window');
    all(await texts('.fever-list time'), '\\d\\d:\\d\\d', 'the fever list\'s times');
    await context.close();
  });

  test('a section that failed is retried when the live stream comes back', async () => {
    const { context, page } = await open(token, { clock: true });
    // The roster and the 12-week series fail (a server error) and show their own Retry.
    let failing = true;
    const failed = (url) => url.pathname === '/api/users'
      || (url.pathname.includes('/aggregate/') && url.searchParams.get('period') === 'week' && url.searchParams.has('from'));
    await page.route(failed, (route) => (failing
      ? route.fulfill({ status: 500, contentType: 'application/json', body: '{"errors":{"detail":"Internal Server Error"}}' })
      : route.fallback()));
    await page.reload();
    await page.locator('.roster [data-error="section"]').waitFor({ timeout: kUiWait });
    const weeks = page.locator('.chart-slot').filter({ has: page.locator('[data-error="section"]') });
    await weeks.waitFor({ timeout: kUiWait });
    await page.locator('#live-status[data-state="live"]').waitFor({ timeout: kUiWait });
    failing = false;
    // The stream goes silent past its 40 s bound while the server is away, then comes back.
    await page.route('**/api/**', (route) => route.abort('connectionrefused'));
    await page.clock.fastForward('00:45');
    await page.locator('#live-status[data-state="reconnecting"]').waitFor({ timeout: kUiWait });
    assert.equal(await page.locator('#roster-table').count(), 0, 'nothing retried the roster meanwhile');
    assert.equal(await page.locator('figure[data-chart="chart-weeks"]').count(), 0, 'nor the chart');
    await page.unroute('**/api/**');
    await page.clock.fastForward('00:35');
    await page.locator('#live-status[data-state="live"]').waitFor({ timeout: kUiWait });
    await page.locator('#roster-table').waitFor({ timeout: kUiWait });
    await drawn(page, 'chart-weeks');
    assert.equal(await page.locator('[data-error="section"]').count(), 0);
    await context.close();
  });
});
