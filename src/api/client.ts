/**
 * Typed client of the engine API. It works over any {@link Transport}; the
 * renderer, the CLI and the tests all use it, so both transports are held to
 * the same behaviour.
 */
import { TerraError } from './errors';
import type { Method, Params, Result } from './methods';
import type { EngineMessage, EngineNotice, JobProgress, Transport } from './protocol';

export interface CallOptions {
  onProgress?: (progress: JobProgress) => void;
  /** Aborting sends a cancel; the call then rejects with CANCELLED. */
  signal?: AbortSignal;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: TerraError) => void;
  onProgress?: (progress: JobProgress) => void;
  cleanup: () => void;
}

export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly noticeListeners = new Set<(notice: EngineNotice) => void>();
  private readonly unsubscribe: () => void;

  constructor(private readonly transport: Transport) {
    this.unsubscribe = transport.onMessage((message) => this.receive(message));
  }

  call<M extends Method>(method: M, params: Params<M>, options: CallOptions = {}): Promise<Result<M>> {
    const id = this.nextId++;
    const { signal, onProgress } = options;
    if (signal?.aborted) return Promise.reject(new TerraError('CANCELLED', `${method} was cancelled`));
    return new Promise<Result<M>>((resolve, reject) => {
      const onAbort = () => this.transport.send({ t: 'cancel', id });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: resolve as (value: unknown) => void,
        reject,
        onProgress,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      });
      this.transport.send({ t: 'call', id, method, params });
    });
  }

  /** Connection-wide events: the engine restarted after a crash, the link dropped. */
  onNotice(listener: (notice: EngineNotice) => void): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  close(): void {
    this.failAll(new TerraError('DISCONNECTED', 'The engine connection was closed'));
    this.unsubscribe();
    this.transport.close();
  }

  private receive(message: EngineMessage): void {
    if (message.t === 'notice') {
      const { notice } = message;
      const code = notice.kind === 'engine-restarted' ? 'ENGINE_CRASHED' : 'DISCONNECTED';
      this.failAll(new TerraError(code, notice.reason));
      for (const listener of this.noticeListeners) listener(notice);
      return;
    }
    const entry = this.pending.get(message.id);
    if (!entry) return;
    if (message.t === 'progress') {
      entry.onProgress?.(message.progress);
      return;
    }
    this.pending.delete(message.id);
    entry.cleanup();
    if (message.ok) entry.resolve(message.value);
    else entry.reject(TerraError.fromInfo(message.error));
  }

  private failAll(error: TerraError): void {
    for (const entry of this.pending.values()) {
      entry.cleanup();
      entry.reject(error);
    }
    this.pending.clear();
  }
}
