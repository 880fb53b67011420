/**
 * The wire protocol between a client (renderer, CLI, test) and the engine.
 * The same envelopes travel over Electron MessagePorts and over WebSocket;
 * only the framing differs (see codec.ts).
 *
 *   client -> engine  call    { t:'call', id, method, params }
 *                     cancel  { t:'cancel', id }
 *   engine -> client  result  { t:'result', id, ok:true, value } | { ..., ok:false, error }
 *                     progress{ t:'progress', id, progress }      (jobs only)
 *                     notice  { t:'notice', notice }              (connection-wide)
 */
import { z } from 'zod';
import type { ErrorInfo } from './errors';
import type { TrainingPoint } from './learn-types';
import type { JobStep } from './types';

/** Largest message a client may send; the engine answers bigger ones with MESSAGE_TOO_LARGE. */
export const MAX_CLIENT_MESSAGE_BYTES = 4 * 1024 * 1024;

const id = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const callMessage = z.strictObject({
  t: z.literal('call'),
  id,
  method: z.string().min(1).max(64),
  params: z.unknown(),
});

export const cancelMessage = z.strictObject({ t: z.literal('cancel'), id });

export const clientMessage = z.discriminatedUnion('t', [callMessage, cancelMessage]);

export type CallMessage = z.infer<typeof callMessage>;
export type CancelMessage = z.infer<typeof cancelMessage>;
export type ClientMessage = z.infer<typeof clientMessage>;

export interface JobProgress {
  /** 0..1, or null when the amount of work is unknown. */
  fraction: number | null;
  message: string;
  /** Fields a job streams as it goes (a simulation's output frames). */
  frame?: FieldFrame;
  /** Where a multi-item job is (an import: file i of n, its stage and fraction). */
  step?: JobStep;
  /** A training job's latest batch loss or finished epoch. */
  training?: TrainingPoint;
}

/** Gridded fields at one time, row-major with row 0 north, on the job's grid. */
export interface FieldFrame {
  time: number;
  fields: Record<string, Float32Array>;
  /** Scalars of the whole grid at this time (a flood run's volumes: FloodFrameStats). */
  stats?: Record<string, number>;
}

export type EngineNotice =
  | { kind: 'engine-restarted'; reason: string }
  | { kind: 'disconnected'; reason: string };

export type ResultMessage =
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; error: ErrorInfo };

export interface ProgressMessage {
  t: 'progress';
  id: number;
  progress: JobProgress;
}

export interface NoticeMessage {
  t: 'notice';
  notice: EngineNotice;
}

export type EngineMessage = ResultMessage | ProgressMessage | NoticeMessage;

/** A port that carries protocol messages; both transports implement it. */
export interface Transport {
  send(message: ClientMessage): void;
  onMessage(listener: (message: EngineMessage) => void): () => void;
  close(): void;
}
