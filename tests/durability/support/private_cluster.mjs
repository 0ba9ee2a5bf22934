// A PostgreSQL cluster of the test's own (scripts/pg-test-server.sh with its own directory and
// port), so the test may stop and start it; the shared test cluster on 55432 is never touched.
//
//   const cluster = await PrivateCluster.create();   // initdb + start; cluster.url
//   await cluster.stop('immediate');                 // or 'fast'
//   await cluster.start();                           // resolves once it accepts connections
//   await cluster.remove();                          // stop and delete its directory

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../api/support/server.mjs';
import { freePort } from '../../e2e/support/server.mjs';

const run = promisify(execFile);
const kScript = path.join(repoRoot, 'scripts', 'pg-test-server.sh');

export class PrivateCluster {
  static async create() {
    const cluster = new PrivateCluster(mkdtempSync(path.join(tmpdir(), 'attendance-pg-restart-')), await freePort());
    await cluster.start();
    return cluster;
  }

  constructor(dir, port) {
    this.dir = dir;
    this.port = port;
    this.url = null;
  }

  async script(...args) {
    const { stdout } = await run('bash', [kScript, ...args], {
      env: { ...process.env, ATTENDANCE_PG_DIR: this.dir, ATTENDANCE_PG_PORT: String(this.port) },
      timeout: 120_000,
    });
    return stdout.trim();
  }

  // Resolves once the server accepts connections (pg_ctl -w, then a query by the script).
  async start() {
    this.url = await this.script('start');
  }

  // When the server last logged that it accepts connections (ms since the epoch): after a crash
  // that is once its recovery is done. The script logs in UTC ("2026-01-05 08:00:01.234 UTC [..]").
  readySince() {
    const log = readFileSync(path.join(this.dir, 'server.log'), 'utf8');
    const lines = [...log.matchAll(/^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}\.\d{3}) UTC \[\d+\] LOG:  database system is ready to accept connections$/gm)];
    if (lines.length === 0) throw new Error(`${this.dir}/server.log: no "ready to accept connections" line in UTC`);
    const [, date, time] = lines.at(-1);
    return Date.parse(`${date}T${time}Z`);
  }

  async stop(mode) {
    await this.script('stop', mode);
  }

  async remove() {
    try {
      await this.script('stop', 'immediate');
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
