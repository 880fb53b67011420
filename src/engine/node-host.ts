/**
 * Engine host for plain Node (serve mode, CLI): a child process forked with an
 * IPC channel using structured-clone serialisation, so typed arrays cross intact.
 * Messages are { conn, msg } (or { conn, closed: true }) to let one engine
 * serve many sockets.
 */
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { Engine } from './engine';
import { createHandlers } from './handlers';

const root = fileURLToPath(new URL('../../', import.meta.url));
const version = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string }).version;

if (!process.send) {
  console.error('node-host.ts is started by the engine supervisor with an IPC channel');
  process.exit(2);
}

const send = process.send.bind(process);
const engine = new Engine(createHandlers({ assetsDir: `${root}assets`, version }), (conn, msg) => send({ conn, msg }));

process.on('message', (envelope: { conn?: unknown; msg?: unknown; closed?: unknown }) => {
  if (typeof envelope?.conn !== 'number') return;
  if (envelope.closed === true) engine.closeConnection(envelope.conn);
  else engine.receive(envelope.conn, envelope.msg);
});
process.on('disconnect', () => process.exit(0));
send({ ready: true });
