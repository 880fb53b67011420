/**
 * The engine connection: its state, what the engine reports about itself,
 * and the notices it sends (restarted after a crash, connection lost). The
 * client itself is a handle kept out of the store's state; callers go
 * through `call`.
 */
import { defineStore } from 'pinia';
import { computed, onScopeDispose, ref, shallowRef } from 'vue';
import {
  TerraError,
  type CallOptions,
  type EngineClient,
  type EngineInfo,
  type EngineNotice,
  type Method,
  type Params,
  type Result,
} from '@api';
import { connectEngine, engineHost } from '../engine/connect';
import { translate } from '../i18n';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export type EngineBanner =
  | { kind: 'restarted'; reason: string }
  | { kind: 'disconnected'; reason: string };

export const useEngineStore = defineStore('engine', () => {
  const host = engineHost();
  const connection = ref<ConnectionState>('connecting');
  const info = shallowRef<EngineInfo | null>(null);
  const banner = shallowRef<EngineBanner | null>(null);
  /**
   * Counts the engines this window has been served by: 1 after the first
   * connection, +1 for each restart or reconnection. Whoever holds engine-side
   * state (an open site) watches it to restore that state.
   */
  const generation = ref(0);

  let client: EngineClient | null = null;
  let stopListening: (() => void) | null = null;

  const backend = computed(() => info.value?.compute.tfjs.backend ?? null);
  const gpuLabel = computed(() => {
    const gpu = info.value?.compute.gpu;
    if (!gpu) return null;
    if (!gpu.available) return translate('engine.noGpu');
    const { adapter } = gpu;
    const name = adapter.description || [adapter.vendor, adapter.device].filter(Boolean).join(' ') || translate('engine.gpu');
    return adapter.software ? translate('engine.software', { name }) : name;
  });

  async function connect(): Promise<void> {
    stopListening?.();
    client?.close();
    client = null;
    connection.value = 'connecting';
    try {
      client = await connectEngine();
    } catch (err) {
      connection.value = 'disconnected';
      banner.value = { kind: 'disconnected', reason: (err as Error).message };
      throw err;
    }
    stopListening = client.onNotice(onNotice);
    connection.value = 'connected';
    if (banner.value?.kind === 'disconnected') banner.value = null;
    generation.value++;
    await refreshInfo();
  }

  async function refreshInfo(): Promise<void> {
    try {
      info.value = await call('engine.info', {});
    } catch {
      // The status bar shows what is known; a failed info call is not worth an error panel.
    }
  }

  function call<M extends Method>(method: M, params: Params<M>, options?: CallOptions): Promise<Result<M>> {
    if (!client || connection.value === 'disconnected') {
      return Promise.reject(new TerraError('DISCONNECTED', translate('engine.notConnected')));
    }
    return client.call(method, params, options);
  }

  function onNotice(notice: EngineNotice): void {
    if (notice.kind === 'engine-restarted') {
      banner.value = { kind: 'restarted', reason: notice.reason };
      connection.value = 'connected';
      generation.value++;
      void refreshInfo();
    } else {
      banner.value = { kind: 'disconnected', reason: notice.reason };
      connection.value = 'disconnected';
    }
  }

  function dismissBanner(): void {
    banner.value = null;
  }

  onScopeDispose(() => {
    stopListening?.();
    client?.close();
  });

  return { host, connection, info, banner, generation, backend, gpuLabel, connect, refreshInfo, call, dismissBanner };
});
