// The write load of the durability suites: several keep-alive clients, each owning a few users,
// post every user's check-in/check-out timeline (a valid one, so any 409 means a stored event went
// missing or appeared twice), some events one by one and some in batches. Every event carries its
// own client_id. A request that gets no definitive answer (no answer at all because the server was
// killed, or a 5xx) has an unknown outcome: the client sends the very same request again, with
// the same client_ids, until it gets one, as a real kiosk would. The ledger keeps what each
// acknowledged (2xx) event was stored as, for the final comparison with the database.
//
//   const load = new WriteLoad({ server, users, clients: 6, seed, tag: 'crash' });
//   load.start();
//   await load.untilAcknowledged(load.acknowledged + 50, 15_000);
//   await load.stop();       // every client finishes its request in hand (with retries), then ends

import { KeepAliveClient, specProblems } from './http.mjs';
import { Random } from './random.mjs';

const kPairMinutes = 10;             // a user's check-in at :00, its check-out at :05 of a 10-minute slot
const kMaxAttempts = 400;            // answers sought for one request, across restarts
const kRetryAfter5xxMs = 50;         // a 503's retry-after is 1 s; the test retries sooner to measure recovery
const kBatchShare = 0.35;

// One user's timeline: event i is a check-in (even i) or check-out (odd i), 5 minutes apart, in
// 10-minute slots from `start` (a UTC midnight, in a UTC school), so no pair crosses a day and
// every day alternates.
class Timeline {
  constructor(userId, start, tag) {
    this.userId = userId;
    this.start = start;
    this.tag = tag;
    this.next = 0;  // index of the next event to send
  }

  take() {
    const i = this.next;
    this.next += 1;
    const slot = Math.floor(i / 2);
    const at = new Date(this.start + (slot * kPairMinutes + (i % 2) * 5) * 60_000);
    return {
      user_id: this.userId,
      type: i % 2 === 0 ? 'checkin' : 'checkout',
      timestamp: at.toISOString().replace('.000Z', 'Z'),
      temperature: 36.6,
      client_id: `${this.tag}-u${this.userId}-e${i}`,
    };
  }
}

// One event of one user, or for a batch the next 1-4 events of 1-3 of the client's users.
function nextEvents(timelines, random) {
  if (random.next() >= kBatchShare) return { kind: 'single', events: [random.pick(timelines).take()] };
  const users = Math.min(timelines.length, random.int(1, 3));
  const first = random.int(0, timelines.length - 1);
  const events = [];
  for (let u = 0; u < users; u += 1) {
    const timeline = timelines[(first + u) % timelines.length];
    const count = random.int(1, 4);
    for (let k = 0; k < count; k += 1) events.push(timeline.take());
  }
  return { kind: 'batch', events };
}

export class WriteLoad {
  // server: a RestartableServer (url, generation, afterLostAnswer); users: ids of a UTC school's
  // users; clients: how many concurrent keep-alive clients (users are dealt round-robin).
  // seed: each client draws its requests from its own generator (seed + 1 + its index), so a
  // seed replays every client's sequence of requests whatever the timing between clients.
  constructor({ server, users, clients, seed, tag }) {
    this.server = server;
    // From 30 days ago at 00:00Z: the whole timeline stays in the past.
    const begin = Math.floor(Date.now() / 86_400_000 - 30) * 86_400_000;
    const timelines = users.map((id) => new Timeline(id, begin, tag));
    this.owned = Array.from({ length: clients }, (_, c) => ({
      timelines: timelines.filter((_, i) => i % clients === c),
      random: new Random(seed + 1 + c),
    }));
    this.ledger = new Map();        // client_id -> { id, user_id, type, timestamp } as acknowledged
    this.acknowledged = 0;          // events acknowledged with 2xx
    this.requests = { single: 0, batch: 0 };
    // Requests retried after an unknown outcome, their events, and what the retry found: stored
    // already (the failure came after the commit; for a batch, some users' jobs committed) or not.
    this.unknown = { requests: 0, events: 0, committedBefore: 0, notCommitted: 0, singlesCommittedBefore: 0 };
    this.inFlight = 0;              // requests sent and not yet answered
    this.noAnswer = 0;              // attempts that got no answer at all (connection lost)
    this.refusals = [];             // { status, sentAt } of every 5xx answer
    this.problems = [];             // anything a correct server never does; the suites assert it is empty
    this.lastAcknowledgedAt = 0;
    this.acknowledgedAt = [];       // when each acknowledged request was answered (ms since the epoch)
    this.stopping = false;
    this.waiters = [];
    this.running = null;
  }

  start() {
    this.running = Promise.all(this.owned.map((owned) => this.runClient(owned)));
  }

  // Resolves once `count` events are acknowledged; rejects after deadlineMs or on a problem.
  untilAcknowledged(count, deadlineMs) {
    return this.until(() => this.acknowledged >= count, deadlineMs, `${count} acknowledged events`);
  }

  // Resolves once an event is acknowledged at or after `instant` (ms since the epoch).
  untilAcknowledgedAfter(instant, deadlineMs) {
    return this.until(() => this.lastAcknowledgedAt >= instant, deadlineMs, `a write acknowledged after ${new Date(instant).toISOString()}`);
  }

  // How many requests sent at or after `instant` were answered 5xx.
  refusedSince(instant) {
    return this.refusals.filter((r) => r.sentAt >= instant).length;
  }

  // When the first request acknowledged at or after `instant` was answered, or null.
  firstAcknowledgedAfter(instant) {
    return this.acknowledgedAt.find((t) => t >= instant) ?? null;
  }

  until(condition, deadlineMs, what) {
    if (condition()) return Promise.resolve(Date.now());
    return new Promise((resolve, reject) => {
      const waiter = { condition, resolve, reject };
      waiter.timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`load: no ${what} within ${deadlineMs} ms (${this.inFlight} requests in flight; ${this.summary()}; `
          + `problems: ${this.problems.slice(0, 5).join(' | ') || 'none'})`));
      }, deadlineMs);
      this.waiters.push(waiter);
    });
  }

  wake() {
    const now = Date.now();
    this.waiters = this.waiters.filter((w) => {
      if (this.problems.length > 0) {
        clearTimeout(w.timer);
        w.reject(new Error(`load: ${this.problems.slice(0, 5).join(' | ')}`));
        return false;
      }
      if (!w.condition()) return true;
      clearTimeout(w.timer);
      w.resolve(now);
      return false;
    });
  }

  problem(text) {
    this.problems.push(text);
    this.wake();
  }

  async stop() {
    this.stopping = true;
    await this.running;
  }

  async runClient({ timelines, random }) {
    const client = new KeepAliveClient(this.server.adminToken);
    try {
      while (!this.stopping && this.problems.length === 0) {
        const { kind, events } = nextEvents(timelines, random);
        const ok = kind === 'single'
          ? await this.send(client, '/api/attendances', { attendance: events[0] }, events, kind)
          : await this.send(client, '/api/attendances/batch', { attendances: events }, events, kind);
        if (!ok) return;
      }
    } finally {
      client.close();
    }
  }

  // Sends until a definitive answer; records it. False when the client must stop (a problem).
  async send(client, path, body, events, kind) {
    this.requests[kind] += 1;
    let unknown = false;
    for (let attempt = 1; attempt <= kMaxAttempts; attempt += 1) {
      const generation = this.server.generation;
      this.inFlight += 1;
      const sentAt = Date.now();
      const res = await client.post(this.server.url, path, body);
      this.inFlight -= 1;
      if (res.error) {
        this.noAnswer += 1;
        unknown = true;
        const restarted = await this.server.afterLostAnswer(generation);
        if (!restarted) {
          this.problem(`${kind} ${events[0].client_id}: no answer (${res.error}) from a server that was not killed`);
          return false;
        }
        continue;
      }
      const problems = specProblems(res);
      if (problems.length > 0) this.problem(`${kind} ${events[0].client_id}: ${res.status} does not conform: ${problems.join('; ')}`);
      if (res.status >= 500) {
        this.refusals.push({ status: res.status, sentAt });
        this.wake();
        unknown = true;
        await new Promise((resolve) => setTimeout(resolve, kRetryAfter5xxMs));
        continue;
      }
      if (unknown) {
        this.unknown.requests += 1;
        this.unknown.events += events.length;
      }
      return this.record(res, events, kind, unknown);
    }
    this.problem(`${kind} ${events[0].client_id}: no definitive answer in ${kMaxAttempts} attempts`);
    return false;
  }

  record(res, events, kind, unknown) {
    let items;
    if (kind === 'single') {
      items = [{ status: res.status, data: res.json?.data, errors: res.json?.errors }];
    } else if (res.status === 200 && Array.isArray(res.json?.data) && res.json.data.length === events.length) {
      items = res.json.data;
    } else {
      this.problem(`batch ${events[0].client_id}: ${res.status} ${res.text.slice(0, 300)}`);
      return false;
    }
    const now = Date.now();
    for (let i = 0; i < events.length; i += 1) {
      const sent = events[i];
      const item = items[i];
      if (item.index !== undefined && item.index !== i) {
        this.problem(`batch ${sent.client_id}: item ${i} answered as index ${item.index}`);
        return false;
      }
      // 201: stored now. 200: the event this client_id stored earlier; only a retry may get it.
      if (item.status !== 201 && !(item.status === 200 && unknown)) {
        this.problem(`${kind} ${sent.client_id}${unknown ? ' (a retry)' : ''}: ${item.status} ${JSON.stringify(item.errors ?? item.data)}`);
        return false;
      }
      const stored = item.data;
      if (stored.client_id !== sent.client_id || stored.user_id !== sent.user_id || stored.type !== sent.type
          || Date.parse(stored.timestamp) !== Date.parse(sent.timestamp)) {
        this.problem(`${kind} ${sent.client_id}: answered with another event ${JSON.stringify(stored)}`);
        return false;
      }
      if (this.ledger.has(sent.client_id)) {
        this.problem(`${sent.client_id} acknowledged twice`);
        return false;
      }
      if (unknown) {
        if (item.status === 200) this.unknown.committedBefore += 1;
        else this.unknown.notCommitted += 1;
        if (item.status === 200 && kind === 'single') this.unknown.singlesCommittedBefore += 1;
      }
      this.ledger.set(sent.client_id, { id: stored.id, user_id: sent.user_id, type: sent.type, timestamp: sent.timestamp });
      this.acknowledged += 1;
    }
    this.lastAcknowledgedAt = now;
    this.acknowledgedAt.push(now);
    this.wake();
    return true;
  }

  summary() {
    const byStatus = new Map();
    for (const { status } of this.refusals) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    const errors = [...byStatus].map(([status, n]) => `${n}x${status}`).join(', ') || 'none';
    return `${this.acknowledged} events acknowledged (${this.requests.single} single posts, ${this.requests.batch} batches); `
      + `${this.noAnswer} attempts lost their answer, 5xx answers: ${errors}; `
      + `${this.unknown.requests} requests retried after an unknown outcome (${this.unknown.events} events: `
      + `${this.unknown.committedBefore} had been stored before the failure (${this.unknown.singlesCommittedBefore} of them single posts), `
      + `${this.unknown.notCommitted} had not)`;
  }
}
