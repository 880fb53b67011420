/** `terra serve`: the app in a local browser, engine in a supervised child process. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer } from '../server/server';

export const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer/', import.meta.url));

export interface ServeFlags {
  port: number;
  host: string;
  lan: boolean;
  token?: string;
}

export async function runServe(flags: ServeFlags): Promise<void> {
  if (!existsSync(`${RENDERER_DIR}index.html`)) {
    throw new Error(`The renderer is not built (${RENDERER_DIR} is missing). Run "npm run build" once, then try again.`);
  }
  const server = await startServer({ rendererDir: RENDERER_DIR, ...flags });
  console.log(`Terra Twin is serving on ${server.url}`);
  console.log(
    flags.lan
      ? 'LAN mode: anyone on your network with this URL (and its token) can use the engine.'
      : 'Loopback only. Open the URL above in a browser on this machine. Ctrl-C stops.',
  );
  server.engine.on('restarted', (reason) => console.error(`[serve] ${reason}`));
  server.engine.on('failed', (reason) => console.error(`[serve] ${reason}`));
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
