// Starts the real attendance-server process on a fresh database and stops it.
//
//   const server = await startServer();          // prod mode, the backend of ATTENDANCE_TEST_BACKEND
//   ... fetch(`${server.url}/api/schools`, { headers: { authorization: `Bearer ${server.adminToken}` } })
//   await server.stop();                          // SIGTERM; throws unless the process exits 0
//
// Environment:
//   ATTENDANCE_SERVER_BIN          the server binary (default: build/release/attendance-server)
//   ATTENDANCE_TEST_BACKEND        sqlite (default) | postgresql
//   ATTENDANCE_TEST_POSTGRES_URL   a maintenance URL of a PostgreSQL server the tests may create
//                                  databases on, e.g. postgresql://postgres@127.0.0.1:55432/attendance_test

import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { watchServer } from '../../support/server_process.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');

const kStartDeadlineMs = 30_000;
const kStopDeadlineMs = 15_000;

export function serverBinary() {
  const bin = process.env.ATTENDANCE_SERVER_BIN || path.join(repoRoot, 'build', 'release', 'attendance-server');
  if (!existsSync(bin)) throw new Error(`server binary not found: ${bin} (set ATTENDANCE_SERVER_BIN)`);
  return bin;
}

export function backend() {
  const name = process.env.ATTENDANCE_TEST_BACKEND || 'sqlite';
  if (name !== 'sqlite' && name !== 'postgresql') throw new Error(`unknown ATTENDANCE_TEST_BACKEND ${name}`);
  return name;
}

export function randomSecret() {
  return randomBytes(24).toString('hex');
}

// A URL of the same PostgreSQL server with another database name.
function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function psql(url, sql) {
  return execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qtAc', sql], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
  });
}

// A fresh, empty database; `drop()` removes it (best effort).
export function createDatabase() {
  if (backend() === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'attendance-api-'));
    const file = path.join(dir, 'attendance.db');
    return { url: `sqlite:${file}`, drop: () => rmSync(dir, { recursive: true, force: true }) };
  }
  const maintenance = process.env.ATTENDANCE_TEST_POSTGRES_URL;
  if (!maintenance) throw new Error('ATTENDANCE_TEST_POSTGRES_URL is not set (bash scripts/pg-test-server.sh start prints one)');
  const name = `attendance_api_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  psql(maintenance, `CREATE DATABASE ${name}`);
  return {
    url: withDatabase(maintenance, name),
    name,
    maintenanceUrl: maintenance,
    // Used by the readiness test to take the database away under a running server.
    dropNow: () => psql(maintenance, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    drop: () => {
      try {
        psql(maintenance, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } catch {
        // A leftover test database is harmless; the cluster is private to the tests.
      }
    },
  };
}

// Starts the server; resolves once it printed its listening line.
// options: mode ('prod' | 'dev'), args (extra flags), env (extra environment), database (from
// createDatabase), adminToken (ATTENDANCE_ADMIN_TOKEN: a fresh secret by default, null for none),
// keepDatabase (stop() leaves the database for a next server)
export async function startServer(options = {}) {
  const mode = options.mode ?? 'prod';
  const database = options.database ?? createDatabase();
  const adminToken = options.adminToken === undefined ? randomSecret() : options.adminToken;
  const args = ['--host', '127.0.0.1', '--port', '0', '--database', database.url, '--mode', mode,
    '--threads', String(options.threads ?? 4), ...(options.args ?? [])];
  // The suites drive many requests through one admin token: no rate limit unless a test asks
  // for one (a --rate-limit flag wins over the environment).
  const env = { ATTENDANCE_RATE_LIMIT: '0', ...process.env, ...options.env, ATTENDANCE_ADMIN_TOKEN: adminToken };
  if (adminToken === null) delete env.ATTENDANCE_ADMIN_TOKEN;
  const child = spawn(serverBinary(), args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const watched = watchServer(child, kStartDeadlineMs);
  const { exited } = watched;
  const port = await watched.port;

  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    mode,
    adminToken,
    database,
    process: child,
    logs: watched.logs,
    // SIGTERM, then asserts a clean exit 0 within the deadline.
    async stop() {
      if (stopped) return;
      stopped = true;
      child.kill('SIGTERM');
      let timer;
      const deadline = new Promise((resolve) => {
        timer = setTimeout(() => resolve(null), kStopDeadlineMs);
      });
      const result = await Promise.race([exited, deadline]);
      clearTimeout(timer);
      if (result === null) {
        child.kill('SIGKILL');
        await exited;
        if (!options.keepDatabase) database.drop();
        throw new Error(`server did not exit within ${kStopDeadlineMs} ms of SIGTERM:\n${watched.logs().slice(-4000)}`);
      }
      if (!options.keepDatabase) database.drop();
      if (result.code !== 0) {
        throw new Error(`server exited with code ${result.code} signal ${result.signal} on SIGTERM:\n${watched.logs().slice(-4000)}`);
      }
    },
  };
}

// Runs the binary with the given flags to completion; resolves to { code, stdout, stderr }.
export function runServerCommand(args, { timeoutMs = 30_000, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(serverBinary(), args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
