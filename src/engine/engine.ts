/**
 * The engine's message boundary. Every incoming message is size-checked and
 * validated (envelope, method, params) before a handler sees it; every call
 * ends in exactly one result; a failing handler never takes the process down.
 * One Engine serves many connections (windows, sockets), each with its own
 * call ids and jobs.
 */
import type { z } from 'zod';
import { TerraError } from '../api/errors';
import { isMethod, methods, type Method, type Params, type Result } from '../api/methods';
import { clientMessage, MAX_CLIENT_MESSAGE_BYTES, type EngineMessage } from '../api/protocol';
import { createJobContext, type JobContext } from './job-context';
import { messageBytes } from './message-size';

export type Handler<M extends Method> = (params: Params<M>, ctx: JobContext) => Promise<Result<M>>;
export type HandlerTable = { [M in Method]: Handler<M> };
export type Post = (connection: number, message: EngineMessage) => void;

export class Engine {
  private readonly jobs = new Map<string, AbortController>();

  constructor(
    private readonly handlers: HandlerTable,
    private readonly post: Post,
  ) {}

  receive(connection: number, raw: unknown): void {
    const rawId = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : 0;
    const fail = (error: TerraError) =>
      this.post(connection, { t: 'result', id: rawId, ok: false, error: error.toInfo() });

    const size = messageBytes(raw, MAX_CLIENT_MESSAGE_BYTES);
    if (size > MAX_CLIENT_MESSAGE_BYTES) {
      return fail(
        new TerraError('MESSAGE_TOO_LARGE', `Message exceeds ${MAX_CLIENT_MESSAGE_BYTES} bytes (or nests too deeply)`, {
          limit: MAX_CLIENT_MESSAGE_BYTES,
        }),
      );
    }
    const parsed = clientMessage.safeParse(raw);
    if (!parsed.success) return fail(new TerraError('BAD_MESSAGE', `Malformed message: ${describe(parsed.error)}`));
    const message = parsed.data;
    const key = `${connection}:${message.id}`;

    if (message.t === 'cancel') {
      this.jobs.get(key)?.abort();
      return;
    }
    if (this.jobs.has(key)) return fail(new TerraError('BAD_MESSAGE', `Call id ${message.id} is already in use`));
    if (!isMethod(message.method)) {
      return fail(
        new TerraError('UNKNOWN_METHOD', `Unknown method "${message.method}"`, { known: Object.keys(methods) }),
      );
    }
    const params = methods[message.method].safeParse(message.params ?? {});
    if (!params.success) {
      return fail(
        new TerraError('INVALID_PARAMS', `Invalid params for ${message.method}: ${describe(params.error)}`, {
          issues: params.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        }),
      );
    }
    void this.run(connection, message.id, message.method, params.data);
  }

  /** Cancels a closed connection's jobs. */
  closeConnection(connection: number): void {
    for (const [key, controller] of this.jobs) if (key.startsWith(`${connection}:`)) controller.abort();
  }

  private async run(connection: number, id: number, method: Method, params: unknown): Promise<void> {
    const key = `${connection}:${id}`;
    const controller = new AbortController();
    this.jobs.set(key, controller);
    const ctx = createJobContext(controller.signal, (progress) => this.post(connection, { t: 'progress', id, progress }), method);
    try {
      const handler = this.handlers[method] as (p: unknown, c: JobContext) => Promise<unknown>;
      const value = await handler(params, ctx);
      // A job past its point of no return (ctx.commit) reports what it did, even if a cancel came late.
      if (!ctx.committed) ctx.throwIfCancelled();
      this.post(connection, { t: 'result', id, ok: true, value });
    } catch (err) {
      const error =
        controller.signal.aborted && !ctx.committed ? new TerraError('CANCELLED', `${method} was cancelled`) : TerraError.wrap(err);
      if (error.code === 'INTERNAL') console.error(`[engine] ${method} failed:`, err);
      this.post(connection, { t: 'result', id, ok: false, error: error.toInfo() });
    } finally {
      this.jobs.delete(key);
    }
  }
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`)
    .join('; ');
}
