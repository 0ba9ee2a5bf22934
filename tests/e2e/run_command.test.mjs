// The README's run command, scripts/run.sh, as a first-time user runs it: on a database that does
// not exist yet it loads the demo school, starts the server, prints the address and an admin
// token; that token signs in to the dashboard, which shows the demo school's numbers. The script
// builds with the preset of the server under test (ATTENDANCE_RUN_PRESET: debug in the suite), so
// no second build is made; a smaller demo (ATTENDANCE_DEMO_USERS/_DAYS) keeps it quick.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { kDesktop, kUiWait, launchBrowser } from './support/browser.mjs';
import { Api } from './support/seed.mjs';
import { repoRoot, serverBinary } from './support/server.mjs';

const kDemoUsers = 40;
const kStartDeadlineMs = 180_000;  // install check, CMake configure, a no-op build, the demo load

// Starts the script in a process group of its own (as a terminal does), so the server it execs
// and anything it started are stopped together; resolves once the server listens.
async function startRunCommand(database) {
  const env = {
    ...process.env,
    ATTENDANCE_RUN_PRESET: path.basename(path.dirname(serverBinary())),
    ATTENDANCE_DEMO_USERS: String(kDemoUsers),
    ATTENDANCE_DEMO_DAYS: '10',
  };
  // A first start: no admin secret chosen, so the server makes one and prints it.
  delete env.ATTENDANCE_ADMIN_TOKEN;
  delete env.ATTENDANCE_DATABASE_URL;
  const child = spawn('bash', [path.join(repoRoot, 'scripts', 'run.sh'), '--host', '127.0.0.1', '--port', '0', '--database', database],
    { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (c) => { output += c; });
  child.stderr.on('data', (c) => { output += c; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`run.sh did not start within ${kStartDeadlineMs} ms:\n${output}`)), kStartDeadlineMs);
    const check = () => {
      const listening = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (listening) { clearTimeout(timer); resolve(listening[1]); }
    };
    child.stdout.on('data', check);
    exited.then(({ code, signal }) => { clearTimeout(timer); reject(new Error(`run.sh exited (${code ?? signal}) before listening:\n${output}`)); });
  });
  return {
    url,
    output: () => output,
    async stop() {
      process.kill(-child.pid, 'SIGTERM');
      return exited;
    },
  };
}

test('scripts/run.sh on a new database: the demo school, an admin token printed once, and the dashboard showing the school', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'attendance-run-'));
  let run;
  let browser;
  try {
    run = await startRunCommand(`sqlite:${path.join(dir, 'demo.db')}`);
    const output = run.output();
    assert.match(output, /Open the dashboard at the address below/);
    const secret = /shown only this once:\n\s+(\S+)/.exec(output)?.[1];
    assert.ok(secret, `no admin token printed:\n${output}`);

    const admin = new Api(run.url, secret);
    const schools = await admin.get('/api/schools');
    assert.equal(schools.length, 1, 'the demo school, alone');
    const users = await admin.get(`/api/users?school_id=${schools[0].id}&limit=1000`);
    assert.equal(users.length, kDemoUsers);
    const day = await admin.get(`/api/attendances/aggregate/school/${schools[0].id}?period=day`);

    browser = await launchBrowser();
    const page = await (await browser.newContext({ viewport: kDesktop })).newPage();
    await page.goto(`${run.url}/`);
    await page.getByLabel('API token').fill(secret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // One school: the dashboard opens it at once.
    await page.getByRole('heading', { level: 1, name: schools[0].name }).waitFor({ timeout: kUiWait });
    const tile = page.locator('[data-tile="present-today"][data-ready="true"]');
    await tile.waitFor({ timeout: kUiWait });
    const shown = await tile.evaluate((el) => ({ value: Number(el.dataset.value), total: Number(el.dataset.total) }));
    assert.deepEqual(shown, { value: day.present, total: day.total }, 'the tile shows the API\'s numbers for today');
  } finally {
    await browser?.close();
    if (run) {
      const { code, signal } = await run.stop();
      assert.ok(code === 0 || signal === 'SIGTERM', `the server stopped with ${code ?? signal}:\n${run.output().slice(-2000)}`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
