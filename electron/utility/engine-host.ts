/**
 * Engine host for Electron's utility process, the desktop twin of
 * src/engine/node-host.ts. The main process (electron/main/engine-supervisor.ts)
 * sends { type:'connect' } with a MessagePortMain; each port is one connection
 * (one window) with its own number, call ids and jobs. The renderer holds the
 * other end of the port, so engine traffic never passes through main.
 *
 * Configuration comes from the environment set by the supervisor:
 * TERRA_ASSETS_DIR (folder holding sites/ and LICENSES.md), TERRA_APP_VERSION.
 */
import type { MessageEvent, MessagePortMain } from 'electron';
import { Engine } from '../../src/engine/engine';
import { createHandlers } from '../../src/engine/handlers';

const parentPort = process.parentPort as Electron.ParentPort | undefined;
const assetsDir = process.env['TERRA_ASSETS_DIR'];
const version = process.env['TERRA_APP_VERSION'] ?? '0.0.0';

if (!parentPort) {
  console.error('engine-host runs in an Electron utility process (utilityProcess.fork); use src/engine/node-host.ts in Node');
  process.exit(2);
}
if (!assetsDir) {
  console.error('engine-host: TERRA_ASSETS_DIR is not set (the folder holding sites/ and LICENSES.md)');
  process.exit(2);
}

const ports = new Map<number, MessagePortMain>();
let nextConnection = 1;

const engine = new Engine(createHandlers({ assetsDir, version }), (connection, message) => {
  const port = ports.get(connection);
  if (!port) return; // the window went away while a job was running
  try {
    port.postMessage(message);
  } catch (err) {
    console.error(`[engine] could not post to connection ${connection}:`, err);
  }
});

parentPort.on('message', (event: MessageEvent) => {
  const data = event.data as { type?: unknown } | null;
  const port = event.ports[0];
  if (data?.type !== 'connect' || !port) return;
  const connection = nextConnection++;
  ports.set(connection, port);
  port.on('message', (e: MessageEvent) => engine.receive(connection, e.data));
  port.on('close', () => {
    ports.delete(connection);
    engine.closeConnection(connection);
  });
  port.start();
});

parentPort.postMessage({ type: 'ready', pid: process.pid });
