/**
 * Runs the engine in a child Node process and keeps it alive: if it dies, a new
 * one starts, connections are told, and calls sent meanwhile wait for it. A
 * crash loop (too many exits in a short time) stops the restarts.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import type { EngineMessage } from '../api/protocol';

const HOST = fileURLToPath(new URL('../engine/node-host.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const RESTART_WINDOW_MS = 60_000;
const MAX_RESTARTS_IN_WINDOW = 5;

interface Events {
  message: [connection: number, message: EngineMessage];
  restarted: [reason: string];
  failed: [reason: string];
}

export class EngineProcess extends EventEmitter<Events> {
  private child: ChildProcess | null = null;
  private ready = false;
  private readonly queue: unknown[] = [];
  private readonly exits: number[] = [];
  private stopping = false;

  /** Starts the first engine and resolves once it is ready. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.spawn();
      const child = this.child!;
      const onReady = (m: unknown) => {
        if ((m as { ready?: boolean })?.ready) {
          child.off('message', onReady);
          resolve();
        }
      };
      child.on('message', onReady);
      child.once('exit', (code) => reject(new Error(`engine exited during start-up (code ${code})`)));
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  send(connection: number, msg: unknown): void {
    this.deliver({ conn: connection, msg });
  }

  closeConnection(connection: number): void {
    this.deliver({ conn: connection, closed: true });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill();
    });
  }

  private deliver(envelope: unknown): void {
    if (this.ready && this.child?.connected) this.child.send(envelope as never);
    else this.queue.push(envelope);
  }

  private spawn(): void {
    this.ready = false;
    const child = fork(HOST, [], {
      serialization: 'advanced',
      execArgv: ['--import', TSX],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    child.on('message', (m: { ready?: boolean; conn?: number; msg?: EngineMessage }) => {
      if (m.ready) {
        this.ready = true;
        for (const envelope of this.queue.splice(0)) child.send(envelope as never);
      } else if (typeof m.conn === 'number' && m.msg) this.emit('message', m.conn, m.msg);
    });
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child || this.stopping) return;
    const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
    const now = Date.now();
    this.exits.push(now);
    while (this.exits.length && now - this.exits[0]! > RESTART_WINDOW_MS) this.exits.shift();
    if (this.exits.length > MAX_RESTARTS_IN_WINDOW) {
      this.child = null;
      this.emit('failed', `The engine ${how} ${this.exits.length} times in a minute; not restarting it`);
      return;
    }
    this.spawn();
    this.emit('restarted', `The engine process ${how}; a new engine was started`);
  }
}
