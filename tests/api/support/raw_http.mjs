// A plain TCP connection to the server, for what fetch can't send or can't show: oversized or
// malformed headers, a client that sends one byte at a time, connections held open, and whether
// the server closed the connection. Every wait has a deadline.
//
//   const conn = await RawConnection.open(server.port);
//   conn.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
//   await conn.waitFor(() => conn.text.includes('\r\n\r\n'), 'the response header');
//   assert.equal(conn.status(), 200);
//   await conn.waitForClose(3000);      // throws unless the server closes it in time

import net from 'node:net';

export class RawConnection {
  static open(port) {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  constructor(socket) {
    this.socket = socket;
    this.text = '';
    this.closed = false;
    this.closedAt = null;
    this.listeners = new Set();
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => {
      this.text += chunk;
      this.notify();
    });
    socket.on('error', () => {}); // a reset by the server shows as a close
    socket.on('close', () => {
      this.closed = true;
      this.closedAt = Date.now();
      this.notify();
    });
  }

  notify() {
    for (const listener of this.listeners) listener();
  }

  // Resolves false instead of throwing when the socket is already closed by the peer.
  write(data) {
    if (this.closed || this.socket.destroyed) return false;
    this.socket.write(data);
    return true;
  }

  // Waits until check() is true; throws after timeoutMs naming `what`.
  waitFor(check, what, timeoutMs = 5_000) {
    return new Promise((resolve, reject) => {
      const listener = () => {
        if (!check()) return;
        finish();
        resolve();
      };
      const finish = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no ${what} within ${timeoutMs} ms; received: ${JSON.stringify(this.text.slice(0, 500))}`));
      }, timeoutMs);
      this.listeners.add(listener);
      listener();
    });
  }

  waitForClose(timeoutMs = 5_000) {
    return this.waitFor(() => this.closed, 'close by the server', timeoutMs);
  }

  // The status of the first response received, or null.
  status() {
    const match = /^HTTP\/1\.[01] (\d{3})/.exec(this.text);
    return match ? Number(match[1]) : null;
  }

  // The header block of the first response (lower-cased names), or null before it arrived.
  headers() {
    const end = this.text.indexOf('\r\n\r\n');
    return end < 0 ? null : headerFields(this.text.slice(0, end));
  }

  close() {
    this.socket.destroy();
  }
}

// The fields of a header block (its lines after the status line), by lower-cased name.
export function headerFields(block) {
  const headers = {};
  for (const line of block.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

// Sends one request on a fresh connection and waits for a full response header.
export async function rawRequest(port, text, timeoutMs = 5_000) {
  const conn = await RawConnection.open(port);
  conn.write(text);
  await conn.waitFor(() => conn.text.includes('\r\n\r\n') || conn.closed, 'a response', timeoutMs);
  return conn;
}
