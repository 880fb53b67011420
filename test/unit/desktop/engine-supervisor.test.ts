/**
 * The utility-process supervisor with Electron replaced by fakes: port
 * hand-off, restart after a crash, the crash-loop stop (same rule as serve
 * mode: more than 5 exits in 60 s), reconnect after it, and disposal.
 */
import { EventEmitter } from 'node:events';
import type { ForkOptions, MessagePortMain } from 'electron';
import { beforeEach, describe, expect, it } from 'vitest';
import { INBOUND_CHANNELS } from '../../../electron/preload/channels';
import { CrashLoopGuard } from '../../../electron/main/crash-loop';
import {
  ENGINE_ENV,
  ENGINE_SERVICE_NAME,
  EngineSupervisor,
  type EngineChild,
  type EngineCrash,
  type EngineExit,
  type PortTarget,
} from '../../../electron/main/engine-supervisor';

let nextPid = 1000;

class FakeChild extends EventEmitter implements EngineChild {
  pid: number | undefined = undefined;
  readonly posted: { message: unknown; transfer?: MessagePortMain[] }[] = [];
  killed = false;
  constructor(
    readonly modulePath: string,
    readonly options: ForkOptions,
  ) {
    super();
  }
  spawnNow(): void {
    this.pid = nextPid++;
    this.emit('spawn');
  }
  postMessage(message: unknown, transfer?: MessagePortMain[]): void {
    if (this.pid === undefined && this.killed) throw new Error('dead');
    this.posted.push({ message, transfer });
  }
  kill(): boolean {
    this.killed = true;
    this.exit(0);
    return true;
  }
  exit(code: number): void {
    this.pid = undefined;
    this.emit('exit', code);
  }
}

class FakePort {
  closed = false;
  constructor(readonly name: string) {}
  close(): void {
    this.closed = true;
  }
}

class FakeTarget implements PortTarget {
  destroyed = false;
  readonly posts: { channel: string; message: unknown; transfer?: MessagePortMain[] }[] = [];
  constructor(readonly id: number) {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
  postMessage(channel: string, message: unknown, transfer?: MessagePortMain[]): void {
    this.posts.push({ channel, message, transfer });
  }
}

let children: FakeChild[];
let clock: number;
let channels: number;

function makeSupervisor() {
  const supervisor = new EngineSupervisor({
    modulePath: '/app/out/main/engine.js',
    assetsDir: '/app/assets',
    version: '1.2.3',
    env: { PATH: '/bin' },
    fork: (modulePath, _args, options) => {
      const child = new FakeChild(modulePath, options);
      children.push(child);
      child.spawnNow();
      return child;
    },
    createChannel: () => {
      channels++;
      return {
        port1: new FakePort(`p1-${channels}`) as unknown as MessagePortMain,
        port2: new FakePort(`p2-${channels}`) as unknown as MessagePortMain,
      };
    },
    now: () => clock,
  });
  const crashes: EngineCrash[] = [];
  const exits: EngineExit[] = [];
  supervisor.onCrash((c) => crashes.push(c));
  supervisor.onExit((e) => exits.push(e));
  return { supervisor, crashes, exits };
}

const last = <T>(list: T[]): T => list[list.length - 1]!;

beforeEach(() => {
  children = [];
  clock = 0;
  channels = 0;
});

describe('EngineSupervisor', () => {
  it('forks the engine as a named utility process with its configuration in the environment', () => {
    const { supervisor } = makeSupervisor();
    supervisor.start();
    supervisor.start(); // idempotent
    expect(children).toHaveLength(1);
    const child = children[0]!;
    expect(child.modulePath).toBe('/app/out/main/engine.js');
    expect(child.options.serviceName).toBe(ENGINE_SERVICE_NAME);
    expect(child.options.env).toEqual({ PATH: '/bin', [ENGINE_ENV.assetsDir]: '/app/assets', [ENGINE_ENV.version]: '1.2.3' });
    expect(supervisor.pid).toBe(child.pid);
  });

  it('gives each window its own channel: port1 to the engine, port2 to the page', () => {
    const { supervisor } = makeSupervisor();
    supervisor.start();
    const a = new FakeTarget(1);
    const b = new FakeTarget(2);
    supervisor.connect(a);
    supervisor.connect(b);
    const child = children[0]!;
    expect(child.posted.map((p) => p.message)).toEqual([{ type: 'connect' }, { type: 'connect' }]);
    expect((child.posted[0]!.transfer![0] as unknown as FakePort).name).toBe('p1-1');
    expect(a.posts).toEqual([
      { channel: INBOUND_CHANNELS.enginePort, message: { restarted: false }, transfer: [expect.objectContaining({ name: 'p2-1' })] },
    ]);
    expect((b.posts[0]!.transfer![0] as unknown as FakePort).name).toBe('p2-2');
  });

  it('starts the engine on first connect if start() was not called', () => {
    const { supervisor } = makeSupervisor();
    supervisor.connect(new FakeTarget(1));
    expect(children).toHaveLength(1);
  });

  it('restarts a crashed engine and hands every live window a fresh port with the reason', () => {
    const { supervisor, crashes, exits } = makeSupervisor();
    supervisor.start();
    const a = new FakeTarget(1);
    const gone = new FakeTarget(2);
    supervisor.connect(a);
    supervisor.connect(gone);
    gone.destroyed = true;
    const firstPid = children[0]!.pid;

    children[0]!.exit(137);

    expect(children).toHaveLength(2);
    const reason = 'The engine process exited with code 137; a new engine was started';
    expect(exits).toEqual([{ code: 137, pid: firstPid, expected: false }]);
    expect(crashes).toEqual([{ code: 137, pid: firstPid, reason, restarted: true }]);
    expect(last(a.posts)).toMatchObject({ channel: INBOUND_CHANNELS.enginePort, message: { restarted: true, reason } });
    expect(gone.posts).toHaveLength(1); // only its first port
    expect(children[1]!.posted.map((p) => p.message)).toEqual([{ type: 'connect' }]);
    expect(supervisor.pid).toBe(children[1]!.pid);
  });

  it('stops after more than 5 exits in 60 s, tells the windows, and retries when a window reconnects', () => {
    const { supervisor, crashes } = makeSupervisor();
    supervisor.start();
    const a = new FakeTarget(1);
    supervisor.connect(a);
    for (let i = 0; i < 5; i++) {
      clock += 1000;
      last(children).exit(1);
    }
    expect(children).toHaveLength(6);
    expect(crashes.every((c) => c.restarted)).toBe(true);

    clock += 1000;
    last(children).exit(1); // the sixth exit within a minute
    expect(children).toHaveLength(6);
    expect(supervisor.failed).toBe(true);
    expect(supervisor.pid).toBeUndefined();
    expect(last(crashes).restarted).toBe(false);
    expect(last(crashes).reason).toMatch(/exited with code 1, 6 times in 60 s; it was not restarted/);
    expect(last(a.posts)).toEqual({
      channel: INBOUND_CHANNELS.engineFailed,
      message: { reason: last(crashes).reason },
      transfer: undefined,
    });

    // View > Reload: the page asks again and gets a fresh engine.
    supervisor.connect(a);
    expect(children).toHaveLength(7);
    expect(supervisor.failed).toBe(false);
    expect(last(a.posts)).toMatchObject({ channel: INBOUND_CHANNELS.enginePort, message: { restarted: false } });
  });

  it('keeps restarting when crashes are spread out over more than a minute', () => {
    const { supervisor, crashes } = makeSupervisor();
    supervisor.start();
    for (let i = 0; i < 12; i++) {
      clock += 15_000;
      last(children).exit(1);
    }
    expect(crashes.every((c) => c.restarted)).toBe(true);
    expect(children).toHaveLength(13);
  });

  it('stops sending ports to a detached window', () => {
    const { supervisor } = makeSupervisor();
    const a = new FakeTarget(1);
    supervisor.connect(a);
    supervisor.detach(a);
    children[0]!.exit(1);
    expect(a.posts).toHaveLength(1);
  });

  it('kills the engine on dispose, does not restart it, and ignores later connects', () => {
    const { supervisor, crashes } = makeSupervisor();
    supervisor.start();
    const a = new FakeTarget(1);
    supervisor.connect(a);
    supervisor.dispose();
    expect(children[0]!.killed).toBe(true);
    expect(children).toHaveLength(1);
    expect(crashes).toEqual([]);
    supervisor.connect(a);
    expect(a.posts).toHaveLength(1);
    expect(() => supervisor.start()).toThrow(/disposed/);
  });
});

describe('CrashLoopGuard', () => {
  it('allows 5 exits in the window and refuses the 6th, like serve mode', () => {
    let now = 0;
    const guard = new CrashLoopGuard(60_000, 5, () => now);
    const results = Array.from({ length: 6 }, () => {
      now += 100;
      return guard.recordExit();
    });
    expect(results.map((r) => r.restart)).toEqual([true, true, true, true, true, false]);
    expect(results[5]!.exitsInWindow).toBe(6);
    now += 60_001;
    expect(guard.recordExit()).toEqual({ restart: true, exitsInWindow: 1 });
    guard.reset();
    expect(guard.recordExit().exitsInWindow).toBe(1);
  });
});
