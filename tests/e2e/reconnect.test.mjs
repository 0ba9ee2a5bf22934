// The live stream comes back by itself: the server stops (the stream drops) and starts again on
// the same port and database; the page shows "Reconnecting…", then "Live", and a check-in
// posted after the restart moves the live count.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { kDesktop, launchBrowser, kUiWait } from './support/browser.mjs';
import { Api, seedSchool } from './support/seed.mjs';
import { freePort, startServer } from './support/server.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'attendance-e2e-reconnect-'));
let server;
let browser;

after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the page reconnects to the live stream after the server restarts', async () => {
  const port = await freePort();
  const options = { port, dir, keep: true, database: `sqlite:${path.join(dir, 'attendance.db')}` };
  server = await startServer(options);
  const admin = new Api(server.apiUrl, server.adminToken);
  const { notIn } = await seedSchool(admin, { name: 'Reconnect School', students: 6, history: 3, seed: 3 });
  browser = await launchBrowser();
  const page = await (await browser.newContext({ viewport: kDesktop })).newPage();
  await page.goto(`${server.url}/`);
  await page.getByLabel('API token').fill(server.adminToken);
  await page.keyboard.press('Enter');
  await page.locator('#live-status[data-state="live"]').waitFor({ timeout: kUiWait });

  await server.stop();
  await page.locator('#live-status[data-state="reconnecting"]').waitFor({ timeout: kUiWait });
  // The same secret: the page keeps the token it signed in with (a new one would retire it).
  server = await startServer({ ...options, env: undefined, adminToken: server.adminToken });
  assert.equal(server.apiUrl, `http://127.0.0.1:${port}`);
  await page.locator('#live-status[data-state="live"]').waitFor({ timeout: 20_000 });

  const before = Number(await page.locator('[data-tile="checked-in-now"]').getAttribute('data-value'));
  await new Api(server.apiUrl, server.adminToken).post('/api/attendances', { attendance: { user_id: notIn[0].id, type: 'checkin', temperature: 36.5 } });
  await page.waitForFunction((n) => document.querySelector('[data-tile="checked-in-now"]')?.dataset.value === String(n), before + 1, { timeout: 2000 });
});
