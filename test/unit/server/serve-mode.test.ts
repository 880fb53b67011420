// Serve mode end to end at the socket level: a real HTTP/WebSocket server and a
// real engine child process. Refusals are clear and never disturb the engine;
// an engine crash is survived.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../../src/server/server';
import { EngineClient } from '../../../src/api/client';
import { WebSocketTransport, type WebSocketLike } from '../../../src/api/websocket-transport';
import { decodeFrame, encodeFrame } from '../../../src/api/codec';
import { MAX_CLIENT_MESSAGE_BYTES, type EngineNotice, type ResultMessage } from '../../../src/api/protocol';
import { TerraError } from '../../../src/api/errors';

let server: RunningServer;
let origin: string;

beforeAll(async () => {
  const rendererDir = mkdtempSync(join(tmpdir(), 'terra-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Terra Twin</title>');
  server = await startServer({ rendererDir, port: 0 });
  origin = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server?.close());

const apiUrl = (token: string | null) => `ws://127.0.0.1:${server.port}/api${token === null ? '' : `?token=${token}`}`;

/** Attempts a WebSocket upgrade; resolves with the HTTP refusal or 'open'. */
function tryConnect(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string } | 'open'> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, origin: headers.Origin });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('error', (e) => reject(e));
  });
}

async function connect(): Promise<{ client: EngineClient; ws: WebSocket }> {
  const ws = new WebSocket(apiUrl(server.token), { origin });
  const transport = await WebSocketTransport.open(ws as unknown as WebSocketLike);
  return { client: new EngineClient(transport), ws };
}

/** Sends a raw frame and returns the engine's first reply. */
async function rawExchange(frame: string | Buffer): Promise<ResultMessage> {
  const ws = new WebSocket(apiUrl(server.token), { origin });
  await new Promise((r) => ws.once('open', r));
  const reply = new Promise<ResultMessage>((resolve) =>
    ws.once('message', (data: Buffer, isBinary: boolean) =>
      resolve(decodeFrame(isBinary ? new Uint8Array(data) : data.toString()) as ResultMessage),
    ),
  );
  ws.send(frame);
  const r = await reply;
  ws.close();
  return r;
}

async function engineAlive(): Promise<number> {
  const { client } = await connect();
  const info = await client.call('engine.info', {});
  client.close();
  return info.pid;
}

describe('serve mode access control', () => {
  it('refuses a missing or wrong token with 401 and a reason', async () => {
    for (const token of [null, '', 'wrong-token', server.token.slice(1)]) {
      const r = await tryConnect(apiUrl(token), { Origin: origin });
      expect(r).toMatchObject({ status: 401, body: expect.stringContaining('missing or wrong token') });
    }
    expect(await engineAlive()).toBeGreaterThan(0);
  });

  it('refuses foreign or missing Origins with 403 even with the right token', async () => {
    for (const o of ['http://evil.example', `http://127.0.0.1:${server.port + 1}`, 'null']) {
      const r = await tryConnect(apiUrl(server.token), { Origin: o });
      expect(r).toMatchObject({ status: 403, body: expect.stringContaining(`Origin ${o}`) });
    }
    expect(await tryConnect(apiUrl(server.token))).toMatchObject({ status: 403 });
  });

  it('answers only to its own Host (DNS rebinding) on HTTP and WebSocket', async () => {
    const status = await new Promise<number>((resolve) => {
      request({ host: '127.0.0.1', port: server.port, path: '/', headers: { Host: 'attacker.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).end();
    });
    expect(status).toBe(421);
    const r = await tryConnect(apiUrl(server.token), { Origin: origin, Host: 'attacker.example' });
    expect(r).toMatchObject({ status: 421 });
  });

  it('serves the renderer with a CSP and refuses path escapes', async () => {
    const res = await fetch(`${origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const escape = await fetch(`${origin}/..%2F..%2Fetc%2Fpasswd`);
    expect([400, 404]).toContain(escape.status);
  });

  it('says which port is taken', async () => {
    await expect(startServer({ rendererDir: tmpdir(), port: server.port })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
      message: expect.stringContaining(`Port ${server.port}`),
    });
  });

  it('refuses to bind beyond loopback without --lan', async () => {
    await expect(startServer({ rendererDir: tmpdir(), host: '0.0.0.0', port: 0 })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
      message: expect.stringContaining('--lan'),
    });
  });
});

describe('serve mode messages', () => {
  it('answers malformed frames with BAD_MESSAGE and keeps serving', async () => {
    expect(await rawExchange('{not json')).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
    expect(await rawExchange(JSON.stringify({ t: 'call', id: 'x' }))).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
    expect(await rawExchange(Buffer.from([1, 2, 3]))).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
    expect(await engineAlive()).toBeGreaterThan(0);
  });

  it('answers oversized messages with MESSAGE_TOO_LARGE; cuts absurd ones; engine stays up', async () => {
    const pid = await engineAlive();
    const big = JSON.stringify({ t: 'call', id: 1, method: 'site.open', params: { id: 'a'.repeat(MAX_CLIENT_MESSAGE_BYTES) } });
    expect(await rawExchange(big)).toMatchObject({ ok: false, error: { code: 'MESSAGE_TOO_LARGE' } });

    const ws = new WebSocket(apiUrl(server.token), { origin });
    await new Promise((r) => ws.once('open', r));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send(Buffer.alloc(5 * MAX_CLIENT_MESSAGE_BYTES));
    expect(await closed).toBe(1009); // "message too big"
    expect(await engineAlive()).toBe(pid);
  });

  it('streams job progress and delivers fields as binary typed arrays', async () => {
    const { client } = await connect();
    const fractions: (number | null)[] = [];
    const site = await client.call('site.open', { id: 'olinda' }, { onProgress: (p) => fractions.push(p.fraction) });
    expect(site.elevation).toBeInstanceOf(Float32Array);
    expect(site.elevation.length).toBe(111 * 111);
    expect(site.stats.max).toBe(88);
    expect(fractions.at(-1)).toBe(1);
    const sites = await client.call('site.list', {});
    expect(sites.map((s) => s.id)).toContain('jacksboro');
    client.close();
  });

  it('carries a binary-framed call from the client side too', async () => {
    const frame = encodeFrame({ t: 'call', id: 9, method: 'site.list', params: {}, blob: new Float32Array(4) });
    // The extra key is refused by the engine's envelope schema: binary decode worked, validation ran.
    expect(await rawExchange(Buffer.from(frame as Uint8Array))).toMatchObject({ id: 9, ok: false, error: { code: 'BAD_MESSAGE' } });
  });
});

describe('engine crash', () => {
  it('is survived: pending calls fail with ENGINE_CRASHED, clients are told, a new engine serves', async () => {
    const { client } = await connect();
    const before = await client.call('engine.info', {});
    const notices: EngineNotice[] = [];
    client.onNotice((n) => notices.push(n));
    const pending = client.call('site.open', { id: 'jacksboro' }).catch((e: unknown) => e);
    process.kill(before.pid, 'SIGKILL');
    const err = await pending;
    // Reading the DEM takes far longer than the kill takes to land.
    expect(err).toBeInstanceOf(TerraError);
    expect((err as TerraError).code).toBe('ENGINE_CRASHED');
    await expect.poll(() => notices.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(notices[0]).toMatchObject({ kind: 'engine-restarted', reason: expect.stringContaining('SIGKILL') });

    const after = await client.call('engine.info', {});
    expect(after.pid).not.toBe(before.pid);
    const site = await client.call('site.open', { id: 'olinda' });
    expect(site.stats.min).toBe(-1);
    client.close();
  });
});
