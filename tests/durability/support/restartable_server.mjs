// One attendance-server on one database that a test may SIGKILL and start again, any number of
// times. Each start is a new "generation" (a new process on a new port); clients that lost their
// answer wait for the next generation to be serving instead of guessing with sleeps.
//
//   const server = new RestartableServer({ databaseUrl });
//   await server.start();          // listening line, then /readyz 200, each within a deadline
//   await server.kill();           // SIGKILL; resolves once the process is gone
//   await server.start();          // same database, same admin token
//   await server.stop();           // SIGTERM; throws unless it exits 0

import { spawn } from 'node:child_process';
import http from 'node:http';
import { watchServer } from '../../support/server_process.mjs';
import { randomSecret, serverBinary } from '../../api/support/server.mjs';

const kStartDeadlineMs = 30_000;
const kReadyDeadlineMs = 15_000;
const kStopDeadlineMs = 15_000;
const kReadyPollMs = 25;

function getStatus(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.setTimeout(2_000, () => req.destroy());
    req.on('error', () => resolve(null));
  });
}

// Polls condition() (async, truthy when met) every pollMs until it holds or deadlineMs passed;
// resolves to whether it held.
export async function waitFor(condition, deadlineMs, pollMs = kReadyPollMs) {
  const end = Date.now() + deadlineMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= end) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

export class RestartableServer {
  constructor({ databaseUrl, args = [] }) {
    this.databaseUrl = databaseUrl;
    this.args = args;
    this.adminToken = randomSecret();
    this.mode = 'prod';
    this.generation = 0;
    this.serving = false;
    this.process = null;
    this.url = null;
    this.exited = null;
    this.watched = null;
    this.waiters = [];  // { generation, resolve }: clients waiting for a newer generation
    this.startMs = [];  // spawn to /readyz 200, per start
  }

  logs() {
    return this.watched?.logs() ?? '';
  }

  async start() {
    if (this.process) throw new Error('start: the server is already running');
    const began = Date.now();
    const child = spawn(serverBinary(), [
      '--host', '127.0.0.1', '--port', '0', '--database', this.databaseUrl, '--mode', this.mode,
      '--threads', '2', ...this.args,
    ], {
      env: { ...process.env, ATTENDANCE_RATE_LIMIT: '0', ATTENDANCE_ADMIN_TOKEN: this.adminToken },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process = child;
    this.watched = watchServer(child, kStartDeadlineMs);
    this.exited = this.watched.exited;
    const port = await this.watched.port;
    const url = `http://127.0.0.1:${port}`;
    const ready = await waitFor(async () => (await getStatus(`${url}/readyz`)) === 200, kReadyDeadlineMs);
    if (!ready) throw new Error(`generation ${this.generation + 1}: /readyz was not 200 within ${kReadyDeadlineMs} ms:\n${this.logs().slice(-3000)}`);
    this.startMs.push(Date.now() - began);
    this.url = url;
    this.generation += 1;
    this.serving = true;
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w.resolve(true);
    return url;
  }

  // True while the process of `generation` has not exited.
  isAlive() {
    return this.process !== null && this.process.exitCode === null && this.process.signalCode === null;
  }

  async kill() {
    if (!this.process) throw new Error('kill: no server running');
    this.serving = false;
    this.process.kill('SIGKILL');
    const { signal } = await this.exited;
    if (signal !== 'SIGKILL') throw new Error(`the server exited on its own (signal ${signal}) before the kill:\n${this.logs().slice(-3000)}`);
    this.process = null;
  }

  // After a request of `generation` got no answer: resolves true once a newer generation serves,
  // or false at once when that generation is still serving (the failure was not a kill of ours).
  afterLostAnswer(generation) {
    if (this.serving && this.generation === generation) return Promise.resolve(false);
    if (this.serving && this.generation > generation) return Promise.resolve(true);
    return new Promise((resolve) => this.waiters.push({ generation, resolve }));
  }

  async stop() {
    if (!this.process) return;
    this.serving = false;
    this.process.kill('SIGTERM');
    let timer;
    const deadline = new Promise((resolve) => {
      timer = setTimeout(() => resolve(null), kStopDeadlineMs);
    });
    const result = await Promise.race([this.exited, deadline]);
    clearTimeout(timer);
    const child = this.process;
    this.process = null;
    if (result === null) {
      child.kill('SIGKILL');
      throw new Error(`the server did not exit within ${kStopDeadlineMs} ms of SIGTERM:\n${this.logs().slice(-3000)}`);
    }
    if (result.code !== 0) throw new Error(`the server exited with ${result.code}/${result.signal} on SIGTERM:\n${this.logs().slice(-3000)}`);
  }

  // For a test that fails midway: no process is left behind.
  async killQuietly() {
    if (!this.process) return;
    this.process.kill('SIGKILL');
    await this.exited;
    this.process = null;
  }
}

export { getStatus };
