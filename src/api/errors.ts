/**
 * Typed errors shared by engine, transports and clients. An error crosses a
 * process boundary as plain data ({@link ErrorInfo}) and is rebuilt on the other
 * side, so callers can branch on `code` whatever the transport.
 */
export const ERROR_CODES = [
  'BAD_MESSAGE', // the envelope is not a valid protocol message
  'UNKNOWN_METHOD',
  'INVALID_PARAMS',
  'MESSAGE_TOO_LARGE',
  'UNAUTHORIZED', // missing or wrong serve-mode token
  'FORBIDDEN_ORIGIN',
  'NOT_FOUND',
  'INVALID_DATA', // a file or data set that cannot be read as claimed
  'CANCELLED',
  'ENGINE_CRASHED', // the engine process died while the call was in flight
  'DISCONNECTED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export class TerraError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'TerraError';
    this.code = code;
    this.details = details;
  }

  toInfo(): ErrorInfo {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromInfo(info: ErrorInfo): TerraError {
    return new TerraError(info.code, info.message, info.details);
  }

  /** Wraps anything thrown into a TerraError without losing a typed one. */
  static wrap(err: unknown): TerraError {
    if (err instanceof TerraError) return err;
    const message = err instanceof Error ? err.message : String(err);
    return new TerraError('INTERNAL', `Internal engine error: ${message}`);
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
