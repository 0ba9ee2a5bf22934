// What both durability suites share: a UTC school with users to write for, and the final
// reckoning of a run (every acknowledged event stored once, the rules kept, nothing else stored).

import assert from 'node:assert/strict';
import { Api } from '../../api/support/client.mjs';
import { createSchool, createUser } from '../../api/support/fixtures.mjs';
import { compareWithLedger, storedEvents } from './verify.mjs';

// A school in UTC (so a local day is a UTC day) with `count` users; returns { api, school, users }.
export async function setUpSchool(server, count) {
  const api = new Api(server);
  const school = await createSchool(api, { timezone: 'UTC' });
  const users = [];
  for (let i = 0; i < count; i += 1) users.push((await createUser(api, school.id)).id);
  return { api, school, users };
}

// Asserts the stored events are exactly the load's acknowledged ones; returns how many.
export async function assertLedgerStored(api, school, load) {
  assert.deepEqual(load.problems, [], `the load met problems:\n${load.problems.slice(0, 20).join('\n')}`);
  const stored = await storedEvents(api, school.id);
  const problems = compareWithLedger(load.ledger, stored);
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems between what was acknowledged and what is stored`);
  assert.equal(stored.length, load.ledger.size);
  return stored.length;
}

export function sqliteFileOf(url) {
  return url.replace(/^sqlite:/, '');
}
