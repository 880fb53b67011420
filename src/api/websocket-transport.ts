/**
 * The WebSocket transport (serve mode). It takes any object with the standard
 * WebSocket interface, so the browser's and Node's own both work and the engine
 * code stays free of DOM types.
 */
import { decodeFrame, encodeFrame } from './codec';
import type { ClientMessage, EngineMessage, Transport } from './protocol';

export interface WebSocketLike {
  readonly readyState: number;
  binaryType: string;
  send(data: string | ArrayBufferView | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the DOM's overloads accept only this shape
  addEventListener(type: 'open' | 'close' | 'message' | 'error', listener: (event: any) => void): void;
}

const OPEN = 1;

export class WebSocketTransport implements Transport {
  private readonly queue: ClientMessage[] = [];
  private readonly listeners = new Set<(message: EngineMessage) => void>();

  constructor(private readonly socket: WebSocketLike) {
    socket.binaryType = 'arraybuffer';
    socket.addEventListener('open', () => {
      for (const message of this.queue.splice(0)) this.socket.send(encodeFrame(message));
    });
    socket.addEventListener('message', (event: { data: string | ArrayBuffer }) => {
      this.emit(decodeFrame(event.data) as EngineMessage);
    });
    socket.addEventListener('close', (event: { code: number; reason: string }) => {
      const reason = event.reason || `connection closed (code ${event.code})`;
      this.emit({ t: 'notice', notice: { kind: 'disconnected', reason } });
    });
  }

  /** Resolves once the socket is open; rejects with the server's reason if it is refused. */
  static open(socket: WebSocketLike): Promise<WebSocketTransport> {
    const transport = new WebSocketTransport(socket);
    return new Promise((resolve, reject) => {
      if (socket.readyState === OPEN) return resolve(transport);
      socket.addEventListener('open', () => resolve(transport));
      socket.addEventListener('close', (event: { code: number; reason: string }) =>
        reject(new Error(event.reason || `WebSocket refused (code ${event.code})`)),
      );
    });
  }

  send(message: ClientMessage): void {
    if (this.socket.readyState === OPEN) this.socket.send(encodeFrame(message));
    else this.queue.push(message);
  }

  onMessage(listener: (message: EngineMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.socket.close(1000, 'client closed');
  }

  private emit(message: EngineMessage): void {
    for (const listener of this.listeners) listener(message);
  }
}
