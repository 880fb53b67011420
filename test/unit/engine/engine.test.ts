// The engine boundary with its real handlers: validation, errors, jobs, cancel.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { Engine } from '../../../src/engine/engine';
import { createHandlers } from '../../../src/engine/handlers';
import type { EngineMessage, ResultMessage } from '../../../src/api/protocol';
import { MAX_CLIENT_MESSAGE_BYTES } from '../../../src/api/protocol';
import type { SiteData } from '../../../src/api/types';

const assetsDir = fileURLToPath(new URL('../../../assets', import.meta.url));

function harness() {
  const inbox: { conn: number; msg: EngineMessage }[] = [];
  const engine = new Engine(createHandlers({ assetsDir, version: 'test' }), (conn, msg) => inbox.push({ conn, msg }));
  const result = async (id: number, conn = 1): Promise<ResultMessage> => {
    for (let i = 0; i < 400; i++) {
      const hit = inbox.find((m) => m.conn === conn && m.msg.t === 'result' && m.msg.id === id);
      if (hit) return hit.msg as ResultMessage;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no result for call ${id}`);
  };
  return { engine, inbox, result };
}

describe('Engine boundary', () => {
  it.each([
    ['not an object', 'hello'],
    ['unknown envelope type', { t: 'shout', id: 1 }],
    ['negative id', { t: 'call', id: -1, method: 'engine.info', params: {} }],
    ['extra envelope keys', { t: 'call', id: 1, method: 'engine.info', params: {}, admin: true }],
    ['missing method', { t: 'call', id: 1, params: {} }],
  ])('answers a malformed message (%s) with BAD_MESSAGE', async (_label, raw) => {
    const { engine, result } = harness();
    engine.receive(1, raw);
    const id = typeof (raw as { id?: unknown }).id === 'number' ? (raw as { id: number }).id : 0;
    const r = await result(id);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('BAD_MESSAGE');
      expect(r.error.message).toMatch(/Malformed message/);
    }
  });

  it('names unknown methods and bad params precisely', async () => {
    const { engine, result } = harness();
    engine.receive(1, { t: 'call', id: 1, method: 'engine.selfDestruct', params: {} });
    engine.receive(1, { t: 'call', id: 2, method: 'site.open', params: { id: '../../etc/passwd' } });
    engine.receive(1, { t: 'call', id: 3, method: 'site.open', params: { id: 'olinda', extra: 1 } });
    const [r1, r2, r3] = await Promise.all([result(1), result(2), result(3)]);
    expect(r1).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(r2).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS', message: expect.stringContaining('id') } });
    expect(r3).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS', message: expect.stringContaining('extra') } });
  });

  it('refuses oversized and deeply nested messages before validating them', async () => {
    const { engine, result } = harness();
    engine.receive(1, { t: 'call', id: 1, method: 'site.open', params: { id: 'x'.repeat(MAX_CLIENT_MESSAGE_BYTES) } });
    let deep: unknown = {};
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    engine.receive(1, { t: 'call', id: 2, method: 'engine.info', params: deep });
    expect(await result(1)).toMatchObject({ ok: false, error: { code: 'MESSAGE_TOO_LARGE' } });
    expect(await result(2)).toMatchObject({ ok: false, error: { code: 'MESSAGE_TOO_LARGE' } });
  });

  it('runs site.open as a job with progress and returns the real DEM', async () => {
    const { engine, inbox, result } = harness();
    engine.receive(7, { t: 'call', id: 1, method: 'site.open', params: { id: 'jacksboro' } });
    const r = await result(1, 7);
    expect(r.ok).toBe(true);
    const site = (r as { value: SiteData }).value;
    expect(site.elevation).toBeInstanceOf(Float32Array);
    expect(site.elevation.length).toBe(403 * 344);
    expect(site.stats.min).toBe(236);
    const progress = inbox.filter((m) => m.msg.t === 'progress').map((m) => m.msg);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.at(-1)).toMatchObject({ progress: { fraction: 1 } });
  });

  it('cancels a job: the call ends with CANCELLED, other connections are untouched', async () => {
    const { engine, result } = harness();
    engine.receive(1, { t: 'call', id: 5, method: 'site.open', params: { id: 'jacksboro' } });
    engine.receive(2, { t: 'call', id: 5, method: 'site.open', params: { id: 'olinda' } });
    engine.receive(1, { t: 'cancel', id: 5 });
    expect(await result(5, 1)).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(await result(5, 2)).toMatchObject({ ok: true });
  });

  it('turns handler failures into typed errors naming the file', async () => {
    const { engine, result } = harness();
    engine.receive(1, { t: 'call', id: 1, method: 'terrain.open', params: { path: '/no/such/dem.tif' } });
    expect(await result(1)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('dem.tif') } });
  });
});
