// The school's live stream (GET /api/schools/:id/stream), read with fetch so the bearer token
// travels in a header: EventSource cannot send one. Server-Sent Events framing; reconnects with
// exponential backoff (1 s .. 30 s) when the stream drops or goes silent (no byte, not even the
// heartbeat comment, for 40 s).

import { getToken } from './api';


export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export interface StreamHandlers {
  onEvent(type: string, data: unknown): void;
  onState(state: StreamState, detail?: string): void;
  onUnauthorized(): void;
  // Called after a reconnect: events may have been missed, so the page refreshes its numbers.
  onReconnected(): void;
}

const kSilenceMs = 40_000;
const kMaxBackoffMs = 30_000;

export class LiveStream {
  private controller: AbortController | null = null;
  private stopped = false;
  private attempt = 0;
  private connectedOnce = false;
  private retryTimer: number | undefined;

  constructor(private readonly url: string, private readonly handlers: StreamHandlers) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.retryTimer);
    this.controller?.abort();
    this.controller = null;
  }

  private scheduleRetry(reason: string): void {
    if (this.stopped) return;
    const delay = Math.min(kMaxBackoffMs, 1000 * 2 ** this.attempt) * (0.8 + Math.random() * 0.4);
    this.attempt += 1;
    this.handlers.onState('reconnecting', `${reason}; retrying in ${Math.round(delay / 1000)} s`);
    this.retryTimer = window.setTimeout(() => void this.connect(), delay);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const controller = new AbortController();
    this.controller = controller;
    this.handlers.onState(this.connectedOnce ? 'reconnecting' : 'connecting');
    let silence: number | undefined;
    const arm = (): void => {
      window.clearTimeout(silence);
      silence = window.setTimeout(() => controller.abort(), kSilenceMs);
    };
    try {
      const token = getToken();
      const response = await fetch(this.url, {
        headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        signal: controller.signal,
        cache: 'no-store',
      });
      if (response.status === 401) {
        this.stopped = true;
        this.handlers.onUnauthorized();
        return;
      }
      if (response.status === 403 || response.status === 404) {
        this.stopped = true;
        this.handlers.onState('stopped', `the live stream answered ${response.status}`);
        return;
      }
      if (!response.ok || !response.body) {
        this.scheduleRetry(`the live stream answered ${response.status}`);
        return;
      }
      arm();
      this.attempt = 0;
      const reconnected = this.connectedOnce;
      this.connectedOnce = true;
      this.handlers.onState('live');
      if (reconnected) this.handlers.onReconnected();

      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        arm();
        buffer += value;
        let boundary: RegExpExecArray | null;
        while ((boundary = /\r?\n\r?\n/.exec(buffer)) !== null) {
          const block = buffer.slice(0, boundary.index);
          buffer = buffer.slice(boundary.index + boundary[0].length);
          this.dispatch(block);
        }
      }
      this.scheduleRetry('the live stream ended');
    } catch (error) {
      if (this.stopped) return;
      this.scheduleRetry(controller.signal.aborted ? 'the live stream went silent' : 'cannot reach the server');
    } finally {
      window.clearTimeout(silence);
    }
  }

  private dispatch(block: string): void {
    let type = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line === '' || line.startsWith(':')) continue;  // comments: the heartbeat
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.join('\n'));
    } catch {
      return;
    }
    this.handlers.onEvent(type, parsed);
  }
}
