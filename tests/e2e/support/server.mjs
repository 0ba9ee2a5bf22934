// Starts the real attendance-server on a fresh SQLite database, serving the built dashboard
// (web/dist) with --web-root, and stops it. options: database (an existing URL), port (fixed),
// dir (the folder of the database), keep (leave it on stop, to start the server again on it) and
// adminToken (ATTENDANCE_ADMIN_TOKEN; a fresh one by default: a restart with a fresh one retires
// the previous one, as a rotation does).
//
//   const server = await startServer();   // { url, adminToken, stop(), logs() }
//
// Environment:
//   ATTENDANCE_SERVER_BIN  the server binary (default build/release/attendance-server)
//   E2E_WEB_PROXY=1        for a server without --web-root yet: the page is served by a small
//                          local proxy (web/dist + /api forwarded). Development aid only.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { watchServer } from '../../support/server_process.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');
export const webDist = path.join(repoRoot, 'web', 'dist');

const kStartDeadlineMs = 30_000;
const kStopDeadlineMs = 15_000;

export function serverBinary() {
  const bin = process.env.ATTENDANCE_SERVER_BIN || path.join(repoRoot, 'build', 'release', 'attendance-server');
  if (!existsSync(bin)) throw new Error(`server binary not found: ${bin} (set ATTENDANCE_SERVER_BIN)`);
  return bin;
}

export async function startServer(options = {}) {
  if (!existsSync(path.join(webDist, 'index.html'))) {
    throw new Error(`${webDist}/index.html is missing: run \`npm ci && npm run build\` in web/ first`);
  }
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'attendance-e2e-'));
  // options.database: an existing database URL (e.g. one the data generator filled); kept.
  const database = options.database ?? `sqlite:${path.join(dir, 'attendance.db')}`;
  const adminToken = options.adminToken ?? randomBytes(24).toString('hex');
  const proxy = process.env.E2E_WEB_PROXY === '1';
  // options.port: a fixed port (to restart a server where a page expects it); default any free one.
  const args = ['--host', '127.0.0.1', '--port', String(options.port ?? 0), '--database', database,
    '--threads', '4', ...(proxy ? [] : ['--web-root', webDist]), ...(options.args ?? [])];
  const child = spawn(serverBinary(), args, {
    // Seeding goes through one admin token: no rate limit in these suites.
    env: { ATTENDANCE_RATE_LIMIT: '0', ...process.env, ATTENDANCE_ADMIN_TOKEN: adminToken },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const watched = watchServer(child, kStartDeadlineMs);
  const { exited } = watched;
  const port = await watched.port;
  const apiUrl = `http://127.0.0.1:${port}`;
  const front = proxy ? await startWebProxy(port) : null;

  let stopped = false;
  return {
    url: front ? front.url : apiUrl,
    apiUrl,
    adminToken,
    process: child,
    logs: watched.logs,
    async stop() {
      if (stopped) return;
      stopped = true;
      front?.close();
      child.kill('SIGTERM');
      let timer;
      const result = await Promise.race([exited, new Promise((r) => { timer = setTimeout(() => r(null), kStopDeadlineMs); })]);
      clearTimeout(timer);
      if (result === null) {
        child.kill('SIGKILL');
        await exited;
      }
      if (!options.keep) rmSync(dir, { recursive: true, force: true });
      if (result === null) throw new Error(`the server did not exit within ${kStopDeadlineMs} ms of SIGTERM`);
    },
  };
}

const kTypes = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

// web/dist at /, everything under /api and /healthz forwarded (streams included).
function startWebProxy(apiPort) {
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url, 'http://x').pathname;
    if (pathname.startsWith('/api/') || pathname === '/healthz') {
      const upstream = http.request({ host: '127.0.0.1', port: apiPort, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => { res.writeHead(502); res.end(); });
      req.pipe(upstream);
      res.on('close', () => upstream.destroy());
      return;
    }
    const file = path.join(webDist, pathname === '/' ? 'index.html' : path.normalize(pathname).replace(/^(\.\.[/\\])+/, ''));
    if (!file.startsWith(webDist) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404);
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': kTypes[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => { server.closeAllConnections(); server.close(); } });
  }));
}

// A TCP port that was free a moment ago (for a server that must come back on the same port).
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = http.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
