// Waiting for what another process does at once, without sleeping and hoping:
//
//   await eventually('B refuses the revoked token', async () => (await onB.get(path)).status === 401);

import assert from 'node:assert/strict';

export const kAtOnceMs = 2_000; // "at once": the bound every cross-process wait is held to
const kPollMs = 5;

// Polls check() until it returns something other than undefined or false, and returns that;
// fails after timeoutMs.
export async function eventually(what, check, timeoutMs = kAtOnceMs) {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; attempt < 10_000; attempt += 1) {
    const last = await check();
    if (last !== undefined && last !== false) return last;
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, kPollMs));
  }
  assert.fail(`${what}: not within ${timeoutMs} ms`);
}
