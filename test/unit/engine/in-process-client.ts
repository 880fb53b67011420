/**
 * An EngineClient wired straight to an in-process Engine with the real
 * handlers and assets; messages are cloned both ways, as a transport would.
 */
import { fileURLToPath } from 'node:url';
import { EngineClient } from '../../../src/api/client';
import type { EngineMessage, Transport } from '../../../src/api/protocol';
import { Engine } from '../../../src/engine/engine';
import { createHandlers } from '../../../src/engine/handlers';

export const assetsDir = fileURLToPath(new URL('../../../assets', import.meta.url));

export function inProcessClient(): EngineClient {
  const listeners = new Set<(m: EngineMessage) => void>();
  const engine = new Engine(createHandlers({ assetsDir, version: 'test' }), (_conn, msg) => {
    for (const l of listeners) l(structuredClone(msg));
  });
  const transport: Transport = {
    send: (m) => engine.receive(1, structuredClone(m)),
    onMessage: (l) => (listeners.add(l), () => listeners.delete(l)),
    close: () => engine.closeConnection(1),
  };
  return new EngineClient(transport);
}
