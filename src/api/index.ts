/** The public face of the engine API: what the renderer and other clients import. */
export * from './errors';
export * from './protocol';
export * from './methods';
export * from './types';
export * from './learn-types';
export * from './desktop-api';
export { EngineClient, type CallOptions } from './client';
export { WebSocketTransport, type WebSocketLike } from './websocket-transport';
export { encodeFrame, decodeFrame } from './codec';
