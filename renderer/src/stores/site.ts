/**
 * The terrain on show: the sample sites on offer, the one open (or opening),
 * its progress and the last error. Opening a site is an engine job; a newer
 * request cancels an older one. When the engine is replaced (after a crash
 * or a reconnection) the open terrain is opened again, so nothing is lost.
 */
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef, watch } from 'vue';
import { TerraError, type ErrorCode, type JobProgress, type SiteData, type SiteSummary } from '@api';
import { translate } from '../i18n';
import { useEngineStore } from './engine';

export type TerrainRequest = { kind: 'site'; id: string } | { kind: 'file'; path: string };

export interface LoadingState {
  /** What is being opened, for the user. */
  label: string;
  fraction: number | null;
  message: string;
  /** True when restoring the terrain after the engine was replaced. */
  reopening: boolean;
}

export interface SiteError {
  /** What was attempted, in the language on show (read it, do not copy it). */
  readonly title: string;
  code: ErrorCode;
  message: string;
}

export const DEFAULT_SITE = 'jacksboro';

export const useSiteStore = defineStore('site', () => {
  const engine = useEngineStore();

  const sites = ref<SiteSummary[]>([]);
  /** The open terrain; raw (not deeply reactive): it holds a large Float32Array. */
  const current = shallowRef<SiteData | null>(null);
  const loading = shallowRef<LoadingState | null>(null);
  const error = shallowRef<SiteError | null>(null);
  /** Counts terrains received, so views can tell a reopened site from the old one. */
  const version = ref(0);
  /** Names the terrain on show: the same after a reopen, different for another site or file. */
  const key = computed(() => {
    const data = current.value;
    return data ? `${data.site.id}|${data.site.source}|${data.georef.nx}x${data.georef.ny}` : null;
  });

  let request: TerrainRequest | null = null;
  let controller: AbortController | null = null;
  let sequence = 0;

  async function loadList(): Promise<void> {
    try {
      sites.value = await engine.call('site.list', {});
    } catch (err) {
      error.value = describe(() => translate('site.couldNotList'), err);
    }
  }

  function open(id: string): Promise<void> {
    return load({ kind: 'site', id });
  }

  function importTerrain(path: string): Promise<void> {
    return load({ kind: 'file', path });
  }

  /** Repeats what failed: the site list and/or the last requested terrain. */
  async function retry(): Promise<void> {
    error.value = null;
    if (sites.value.length === 0) await loadList();
    if (request && !error.value) await load(request);
  }

  function dismissError(): void {
    error.value = null;
  }

  function cancel(): void {
    controller?.abort();
  }

  async function load(next: TerrainRequest, reopening = false): Promise<void> {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    const ticket = ++sequence;
    request = next;
    error.value = null;
    const label = next.kind === 'site' ? siteName(next.id) : baseName(next.path);
    loading.value = { label, fraction: null, message: translate('common.waitingForEngine'), reopening };
    const onProgress = (progress: JobProgress) => {
      if (ticket === sequence) loading.value = { label, reopening, ...progress };
    };
    try {
      const options = { signal: mine.signal, onProgress };
      const data =
        next.kind === 'site'
          ? await engine.call('site.open', { id: next.id }, options)
          : await engine.call('terrain.open', { path: next.path }, options);
      if (ticket !== sequence) return;
      current.value = markRaw(data);
      version.value++;
    } catch (err) {
      if (ticket !== sequence) return;
      const code = err instanceof TerraError ? err.code : null;
      // A cancelled open was replaced by a newer one; a crashed engine triggers a reopen.
      if (code === 'CANCELLED' || code === 'ENGINE_CRASHED') return;
      error.value = describe(() => translate('site.couldNotOpen', { name: label }), err);
    } finally {
      if (ticket === sequence) {
        loading.value = null;
        controller = null;
      }
    }
  }

  watch(
    () => engine.generation,
    (generation, previous) => {
      if (previous === undefined || previous === 0) return;
      void loadList();
      if (request) void load(request, true);
    },
  );

  function siteName(id: string): string {
    return sites.value.find((s) => s.id === id)?.name ?? id;
  }

  return { sites, current, loading, error, version, key, loadList, open, importTerrain, retry, dismissError, cancel };
});

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** A failed call: its title is worded when read, so it follows a change of language; the engine's message is as it sent it. */
function describe(title: () => string, err: unknown): SiteError {
  const e = err instanceof TerraError ? err : TerraError.wrap(err);
  return {
    get title() {
      return title();
    },
    code: e.code,
    message: e.message,
  };
}
