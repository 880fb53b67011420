/**
 * Serve mode: the built renderer and the engine API over HTTP + WebSocket.
 * Loopback only unless `lan` is set. The API socket needs the random token
 * from the printed URL, a matching Origin and an expected Host (against DNS
 * rebinding). Refusals and bad messages get a clear reason; the engine is
 * never touched by them.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeFrame, encodeFrame } from '../api/codec';
import { TerraError } from '../api/errors';
import { MAX_CLIENT_MESSAGE_BYTES, type EngineMessage } from '../api/protocol';
import { EngineProcess } from './engine-process';
import { serveStatic } from './static-files';

export interface ServeOptions {
  rendererDir: string;
  port?: number;
  /** Bind address; anything but loopback requires `lan`. */
  host?: string;
  lan?: boolean;
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  engine: EngineProcess;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
/** Frames beyond this are cut by the socket layer itself (close code 1009). */
const HARD_FRAME_LIMIT = 4 * MAX_CLIENT_MESSAGE_BYTES;

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && !options.lan) {
    throw new TerraError('INVALID_PARAMS', `Refusing to bind to ${host}: serve mode binds beyond loopback only with --lan`, {
      field: 'host',
    });
  }
  const token = options.token ?? randomBytes(24).toString('base64url');
  const engine = new EngineProcess();
  await engine.start();

  const http = createServer((req, res) => {
    if (!hostAllowed(req)) {
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Terra Twin: unexpected Host header (serve mode answers only to its own address)');
      return;
    }
    void serveStatic(options.rendererDir, req, res);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: HARD_FRAME_LIMIT });
  const sockets = new Map<number, WebSocket>();
  let nextConnection = 1;
  let port = 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  function hostAllowed(req: IncomingMessage): boolean {
    return options.lan === true || allowedHosts().has(req.headers.host ?? '');
  }

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text.split(':')[0]}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\nTerra Twin: ${text}`);
    };
    if (url.pathname !== '/api') return refuse(404, 'Not Found: the API lives at /api');
    if (!hostAllowed(req)) return refuse(421, 'Misdirected Request: unexpected Host header');
    const origin = req.headers.origin;
    const ownOrigin = options.lan ? `http://${req.headers.host}` : null;
    const originOk = origin !== undefined && (origin === ownOrigin || [...allowedHosts()].some((h) => origin === `http://${h}`));
    if (!originOk) return refuse(403, `Forbidden: Origin ${origin ?? '(none)'} may not use this engine`);
    if (!tokenMatches(url.searchParams.get('token'), token)) return refuse(401, 'Unauthorized: missing or wrong token');
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws));
  });

  function accept(ws: WebSocket): void {
    const connection = nextConnection++;
    sockets.set(connection, ws);
    const reply = (message: EngineMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(encodeFrame(message));
    };
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const fail = (error: TerraError) => reply({ t: 'result', id: 0, ok: false, error: error.toInfo() });
      if (data.byteLength > MAX_CLIENT_MESSAGE_BYTES) {
        return fail(
          new TerraError('MESSAGE_TOO_LARGE', `Message of ${data.byteLength} bytes exceeds ${MAX_CLIENT_MESSAGE_BYTES} bytes`, {
            limit: MAX_CLIENT_MESSAGE_BYTES,
          }),
        );
      }
      let message: unknown;
      try {
        message = decodeFrame(isBinary ? new Uint8Array(data) : data.toString('utf8'));
      } catch (err) {
        return fail(new TerraError('BAD_MESSAGE', `Undecodable message: ${(err as Error).message}`));
      }
      engine.send(connection, message);
    });
    // Protocol violations (e.g. a frame over the hard limit) close the socket
    // with a code; without this listener they would crash the server.
    ws.on('error', (err) => console.error(`[serve] connection ${connection}: ${err.message}`));
    ws.on('close', () => {
      sockets.delete(connection);
      engine.closeConnection(connection);
    });
  }

  engine.on('message', (connection, message) => {
    const ws = sockets.get(connection);
    if (ws?.readyState === ws?.OPEN) ws!.send(encodeFrame(message));
  });
  const broadcast = (message: EngineMessage) => {
    for (const ws of sockets.values()) ws.send(encodeFrame(message));
  };
  engine.on('restarted', (reason) => broadcast({ t: 'notice', notice: { kind: 'engine-restarted', reason } }));
  engine.on('failed', (reason) => broadcast({ t: 'notice', notice: { kind: 'disconnected', reason } }));

  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port ?? 0, host, () => resolve());
    });
  } catch (err) {
    await engine.stop();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new TerraError('INVALID_PARAMS', `Port ${options.port} on ${host} is already in use; pick another with --port N (0 picks a free one)`, {
        field: 'port',
      });
    }
    throw err;
  }
  port = (http.address() as AddressInfo).port;
  const shownHost = host === '::1' ? '[::1]' : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    engine,
    close: async () => {
      for (const ws of sockets.values()) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await engine.stop();
    },
  };
}

function tokenMatches(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
