/**
 * Runs the engine in an Electron utility process and keeps it alive, like the
 * serve-mode supervisor (src/server/engine-process.ts) does for a Node child.
 *
 *   main                      utility process (electron/utility/engine-host.ts)
 *   MessageChannelMain ──port1──> postMessage({type:'connect'}, [port1])
 *        └──────────────port2──> webContents.postMessage('terra:engine-port', {restarted}, [port2])
 *
 * Each window gets its own channel, so the renderer talks to the engine
 * directly; the main process never touches engine traffic. If the engine exits
 * unexpectedly a new one is started and every attached window gets a fresh port
 * with restarted=true and a reason. More than 5 exits in 60 s stop the restarts
 * and the windows are told ('terra:engine-failed'); a window that asks to
 * connect again (a reload) starts a fresh engine.
 *
 * Electron is passed in (fork, createChannel), so this class runs under a unit
 * test with fakes.
 */
import type { ForkOptions, MessagePortMain } from 'electron';
import { INBOUND_CHANNELS, type EngineFailedPayload, type EnginePortPayload } from '../preload/channels';
import { CrashLoopGuard, MAX_RESTARTS_IN_WINDOW, RESTART_WINDOW_MS } from './crash-loop';
import { Emitter, type Disposable } from './event';

/** What the supervisor needs of Electron's UtilityProcess. */
export interface EngineChild {
  readonly pid: number | undefined;
  postMessage(message: unknown, transfer?: MessagePortMain[]): void;
  kill(): boolean;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'spawn', listener: () => void): unknown;
}

/** What the supervisor needs of a window's WebContents. */
export interface PortTarget {
  readonly id: number;
  isDestroyed(): boolean;
  postMessage(channel: string, message: unknown, transfer?: MessagePortMain[]): void;
}

export interface EngineSupervisorConfig {
  /** Built utility entry (out/main/engine.js). */
  modulePath: string;
  /** Folder holding sites/ and LICENSES.md; handed to the engine. */
  assetsDir: string;
  version: string;
  fork: (modulePath: string, args: string[], options: ForkOptions) => EngineChild;
  createChannel: () => { port1: MessagePortMain; port2: MessagePortMain };
  /** Extra environment for the engine (default: this process's). */
  env?: NodeJS.ProcessEnv;
  restartWindowMs?: number;
  maxRestartsInWindow?: number;
  now?: () => number;
}

export interface EngineExit {
  code: number;
  pid: number | undefined;
  /** True when we stopped it (dispose); false for a crash. */
  expected: boolean;
}

export interface EngineCrash {
  code: number;
  pid: number | undefined;
  reason: string;
  /** False when the crash-loop guard stopped the restarts. */
  restarted: boolean;
}

export const ENGINE_SERVICE_NAME = 'Terra Twin engine';
export const ENGINE_ENV = { assetsDir: 'TERRA_ASSETS_DIR', version: 'TERRA_APP_VERSION' } as const;

export class EngineSupervisor implements Disposable {
  private child: EngineChild | null = null;
  private childPid: number | undefined;
  private readonly targets = new Map<number, PortTarget>();
  private readonly guard: CrashLoopGuard;
  private failure: string | null = null;
  private disposed = false;
  private readonly exitEmitter = new Emitter<EngineExit>();
  private readonly crashEmitter = new Emitter<EngineCrash>();

  /** Every exit of an engine process, expected or not. */
  readonly onExit = this.exitEmitter.event;
  /** Unexpected exits only, after the restart decision. */
  readonly onCrash = this.crashEmitter.event;

  constructor(private readonly config: EngineSupervisorConfig) {
    this.guard = new CrashLoopGuard(
      config.restartWindowMs ?? RESTART_WINDOW_MS,
      config.maxRestartsInWindow ?? MAX_RESTARTS_IN_WINDOW,
      config.now ?? Date.now,
    );
  }

  /** Starts the engine (idempotent). */
  start(): void {
    if (this.disposed) throw new Error('the engine supervisor was disposed');
    if (!this.child) this.spawn();
  }

  /** The running engine's process id, once spawned. */
  get pid(): number | undefined {
    return this.child ? (this.child.pid ?? this.childPid) : undefined;
  }

  /** True after a crash loop, until a window reconnects. */
  get failed(): boolean {
    return this.failure !== null;
  }

  /**
   * Hands `target` a fresh engine port and keeps it attached, so it gets a new
   * one after a crash. Called on every page load (the preload asks), so a
   * reload replaces the page's old port; after a crash loop it retries.
   */
  connect(target: PortTarget): void {
    if (this.disposed || target.isDestroyed()) return;
    this.targets.set(target.id, target);
    if (this.failure !== null || !this.child) {
      this.failure = null;
      this.guard.reset();
      this.spawn();
    }
    this.handOff(target, { restarted: false });
  }

  /** Stops sending ports to `target` (its window closed). */
  detach(target: { readonly id: number }): void {
    this.targets.delete(target.id);
  }

  /** Kills the engine; no restart follows. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.targets.clear();
    const child = this.child;
    this.child = null;
    if (child) {
      try {
        child.kill();
      } catch (err) {
        console.error('[terra] could not kill the engine', err);
      }
    }
    this.crashEmitter.dispose();
    this.exitEmitter.dispose();
  }

  private spawn(): void {
    const { modulePath, assetsDir, version, env } = this.config;
    const child = this.config.fork(modulePath, [], {
      serviceName: ENGINE_SERVICE_NAME,
      stdio: 'inherit',
      env: { ...(env ?? process.env), [ENGINE_ENV.assetsDir]: assetsDir, [ENGINE_ENV.version]: version },
    });
    this.child = child;
    // Remember the pid: Electron clears child.pid before 'exit' fires.
    this.childPid = child.pid;
    child.on('spawn', () => {
      if (child === this.child) this.childPid = child.pid;
    });
    child.on('exit', (code) => this.onChildExit(child, code));
  }

  private handOff(target: PortTarget, payload: EnginePortPayload): void {
    const child = this.child;
    if (!child) return;
    if (target.isDestroyed()) {
      this.targets.delete(target.id);
      return;
    }
    const { port1, port2 } = this.config.createChannel();
    try {
      child.postMessage({ type: 'connect' }, [port1]);
    } catch (err) {
      // The engine is going away; its exit handler hands out the next port.
      console.error('[terra] could not hand a port to the engine', err);
      port2.close();
      return;
    }
    target.postMessage(INBOUND_CHANNELS.enginePort, payload, [port2]);
  }

  private onChildExit(child: EngineChild, code: number): void {
    const pid = child === this.child ? (this.childPid ?? child.pid) : child.pid;
    const expected = this.disposed || child !== this.child;
    this.exitEmitter.fire({ code, pid, expected });
    if (expected) return;
    this.child = null;
    this.childPid = undefined;

    const { restart, exitsInWindow } = this.guard.recordExit();
    if (!restart) {
      const windowS = Math.round((this.config.restartWindowMs ?? RESTART_WINDOW_MS) / 1000);
      const reason =
        `The engine process exited with code ${code}, ${exitsInWindow} times in ${windowS} s; ` +
        'it was not restarted. Reload the window (View > Reload) to try again.';
      this.failure = reason;
      this.crashEmitter.fire({ code, pid, reason, restarted: false });
      const payload: EngineFailedPayload = { reason };
      for (const target of this.liveTargets()) target.postMessage(INBOUND_CHANNELS.engineFailed, payload);
      return;
    }
    const reason = `The engine process exited with code ${code}; a new engine was started`;
    this.spawn();
    this.crashEmitter.fire({ code, pid, reason, restarted: true });
    for (const target of this.liveTargets()) this.handOff(target, { restarted: true, reason });
  }

  private liveTargets(): PortTarget[] {
    for (const [id, target] of this.targets) if (target.isDestroyed()) this.targets.delete(id);
    return [...this.targets.values()];
  }
}
