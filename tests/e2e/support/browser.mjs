// Debian's chromium driven by playwright-core (never a downloaded browser). playwright-core
// starts it headless with a fresh, empty profile directory of its own (--user-data-dir in a
// new temp folder) for every launch; the flags keep it off the network this machine lacks.
// One browser per test file; each test opens its own context (fresh sessionStorage).

import { chromium } from 'playwright-core';

export const kChromium = process.env.E2E_CHROMIUM || '/usr/bin/chromium';

export async function launchBrowser() {
  return chromium.launch({
    executablePath: kChromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

// The longest a test waits for the page to reach a state it must reach (a screen, a chart drawn,
// the live badge). Only an upper bound: waits end as soon as the state shows, and a state never
// reached still fails. Generous, because the suite runs beside ASan builds of the server and two
// test processes on two cores, where a page once took more than 5 s to show a state.
export const kUiWait = 15_000;

export const kDesktop = { width: 1440, height: 900 };
export const kPhone = { width: 390, height: 844 };
