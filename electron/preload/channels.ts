/**
 * The IPC channels between the main process and the preload: the only strings
 * of the desktop bridge. Both sides import them from here, and the preload
 * refuses any other name. Pure data: no Electron, no Node.
 */
import type { MenuCommand } from '../../src/api/desktop-api';

/** main -> preload. */
export const INBOUND_CHANNELS = {
  /** A fresh engine port (event.ports[0]) with an {@link EnginePortPayload}. */
  enginePort: 'terra:engine-port',
  /** The engine crash-looped and was not restarted: {@link EngineFailedPayload}. */
  engineFailed: 'terra:engine-failed',
  /** A {@link MenuCommand} chosen in the application menu. */
  menu: 'terra:menu',
} as const;

/** preload -> main. */
export const OUTBOUND_CHANNELS = {
  /** "Give this page an engine port": sent once each time the preload starts (load, reload). */
  engineConnect: 'terra:engine-connect',
  /** The page's language changed (and once at start): an AppLocale, validated by main. */
  setLocale: 'terra:set-locale',
} as const;

export type InboundChannel = (typeof INBOUND_CHANNELS)[keyof typeof INBOUND_CHANNELS];
export type OutboundChannel = (typeof OUTBOUND_CHANNELS)[keyof typeof OUTBOUND_CHANNELS];

export interface EnginePortPayload {
  /** True when the engine behind the previous port died and this port reaches its replacement. */
  restarted: boolean;
  reason?: string;
}

export interface EngineFailedPayload {
  reason: string;
}

export type MenuPayload = MenuCommand;

const inbound = new Set<string>(Object.values(INBOUND_CHANNELS));
const outbound = new Set<string>(Object.values(OUTBOUND_CHANNELS));

export function isInboundChannel(name: unknown): name is InboundChannel {
  return typeof name === 'string' && inbound.has(name);
}

export function isOutboundChannel(name: unknown): name is OutboundChannel {
  return typeof name === 'string' && outbound.has(name);
}
