/**
 * Importing data into a project: the Import dialog's state. Files come from
 * File › Import Terrain (a path chosen in the desktop's file dialog), from a
 * drop on the window (desktop: the preload gives each file's path) or from a
 * typed path (serve mode: a browser cannot tell the engine where a dropped
 * file lives). Each file is inspected first (`data.inspect`, a job) and shown
 * for review; Accept runs `data.import` as a job with progress and cancel,
 * then opens the imported terrain in the 3D view (`terrain.open`).
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import {
  TerraError,
  type ErrorCode,
  type ImportResult,
  type ImportSettings,
  type InspectReport,
  type JobProgress,
} from '@api';
import { translate } from '../i18n';
import { useEngineStore } from './engine';
import { useSiteStore } from './site';

export type ImportAs = 'terrain' | 'any';

/** A failed call as the dialog shows it: the engine's message and what it names. */
export interface ImportError {
  code: ErrorCode;
  message: string;
  file: string | null;
  field: string | null;
  problem: string | null;
}

export interface ImportFile {
  path: string;
  name: string;
  state: 'inspecting' | 'ready' | 'error';
  report: InspectReport | null;
  error: ImportError | null;
}

export type ImportPhase = 'review' | 'importing' | 'done';

export interface ImportJobState {
  fraction: number | null;
  message: string;
  /** "File 1 of 2" and the stage, when the engine reports them. */
  file: string | null;
  stage: string | null;
}

const STAGES: Record<string, string> = {
  read: 'reading',
  convert: 'converting units',
  regrid: 'regridding',
  clean: 'cleaning',
  write: 'writing',
  done: 'done',
};

export const useImporterStore = defineStore('importer', () => {
  const engine = useEngineStore();
  const site = useSiteStore();

  const open = ref(false);
  const phase = ref<ImportPhase>('review');
  const files = ref<ImportFile[]>([]);
  const as = ref<ImportAs>('terrain');
  /** Units for files that store none (e.g. "m", "ft"); empty: as in the file. */
  const units = ref('');
  const projectDir = ref('');
  /** Where projectDir came from, to tell the user. */
  const projectSource = ref<'project' | 'default' | 'typed'>('default');
  /** The folder chosen with File › Open Project, if any. */
  const chosenProject = ref<string | null>(null);
  const cellSize = ref<number | null>(null);
  const fill = ref<NonNullable<ImportSettings['fill']>>('laplace');
  const despike = ref(false);
  /** Names of dropped files the browser gave no path for (serve mode). */
  const droppedWithoutPath = ref<string[]>([]);
  const job = shallowRef<ImportJobState | null>(null);
  const result = shallowRef<ImportResult | null>(null);
  const error = shallowRef<ImportError | null>(null);
  /** Set after a cancelled import, until the next one. */
  const cancelled = ref(false);

  let importController: AbortController | null = null;
  const inspections = new Map<string, AbortController>();

  const ready = computed(() => files.value.filter((f) => f.state === 'ready'));
  const inspecting = computed(() => files.value.some((f) => f.state === 'inspecting'));
  const canAccept = computed(
    () => phase.value === 'review' && ready.value.length > 0 && !inspecting.value && projectDir.value.trim() !== '' && engine.connection === 'connected',
  );

  /** Opens the dialog, adding these files (absolute paths on the engine's machine). */
  function openDialog(paths: string[] = [], withoutPath: string[] = []): void {
    if (!open.value || phase.value === 'done') reset();
    open.value = true;
    droppedWithoutPath.value = withoutPath;
    if (!projectDir.value) useDefaultProject();
    addPaths(paths);
  }

  function reset(): void {
    for (const c of inspections.values()) c.abort();
    inspections.clear();
    files.value = [];
    phase.value = 'review';
    job.value = null;
    result.value = null;
    error.value = null;
    cancelled.value = false;
    droppedWithoutPath.value = [];
  }

  function useDefaultProject(): void {
    if (chosenProject.value) {
      projectDir.value = chosenProject.value;
      projectSource.value = 'project';
    } else {
      projectDir.value = engine.info?.defaultProjectDir ?? '';
      projectSource.value = 'default';
    }
  }

  /** File › Open Project: later imports go into this folder. */
  function chooseProject(path: string): void {
    chosenProject.value = path;
    if (phase.value !== 'importing') {
      projectDir.value = path;
      projectSource.value = 'project';
    }
  }

  function setProjectDir(path: string): void {
    projectDir.value = path;
    projectSource.value = 'typed';
  }

  function addPaths(paths: string[]): void {
    if (phase.value === 'importing') return;
    if (phase.value === 'done') reset();
    for (const raw of paths) {
      const path = raw.trim();
      if (!path || files.value.some((f) => f.path === path)) continue;
      const name = baseName(path);
      files.value.push({ path, name, state: 'inspecting', report: null, error: null });
      droppedWithoutPath.value = droppedWithoutPath.value.filter((n) => n !== name);
      void inspect(path);
    }
  }

  function removeFile(path: string): void {
    if (phase.value === 'importing') return;
    inspections.get(path)?.abort();
    inspections.delete(path);
    files.value = files.value.filter((f) => f.path !== path);
  }

  /** Import as terrain or as any data; every file is inspected again. */
  function setAs(value: ImportAs): void {
    if (as.value === value) return;
    as.value = value;
    reinspect();
  }

  function setUnits(value: string): void {
    if (units.value === value.trim()) return;
    units.value = value.trim();
    reinspect();
  }

  function reinspect(): void {
    if (phase.value === 'importing') return;
    for (const f of files.value) void inspect(f.path);
  }

  function update(path: string, patch: Partial<ImportFile>): void {
    files.value = files.value.map((f) => (f.path === path ? { ...f, ...patch } : f));
  }

  async function inspect(path: string): Promise<void> {
    inspections.get(path)?.abort();
    const controller = new AbortController();
    inspections.set(path, controller);
    update(path, { state: 'inspecting', report: null, error: null });
    try {
      const report = await engine.call('data.inspect', { path, as: as.value, ...unitsParam() }, { signal: controller.signal });
      if (inspections.get(path) === controller) update(path, { state: 'ready', report });
    } catch (err) {
      if (inspections.get(path) !== controller) return; // replaced or removed
      update(path, { state: 'error', error: describe(err) });
    } finally {
      if (inspections.get(path) === controller) inspections.delete(path);
    }
  }

  function unitsParam(): { units?: Record<string, string> } {
    return units.value ? { units: { '*': units.value } } : {};
  }

  async function accept(): Promise<void> {
    if (!canAccept.value) return;
    const controller = new AbortController();
    importController = controller;
    phase.value = 'importing';
    error.value = null;
    cancelled.value = false;
    job.value = { fraction: 0, message: translate('common.waitingForEngine'), file: null, stage: null };
    const options: ImportSettings = { fill: fill.value, despike: despike.value };
    if (cellSize.value !== null && cellSize.value > 0) options.cellSize = cellSize.value;
    const onProgress = (p: JobProgress) => {
      job.value = {
        fraction: p.fraction,
        message: p.message,
        file: p.step ? translate('import.fileOf', { index: p.step.index + 1, total: p.step.total, name: p.step.item }) : null,
        stage: p.step ? (STAGES[p.step.stage] ?? p.step.stage) : null,
      };
    };
    try {
      const done = await engine.call(
        'data.import',
        { paths: ready.value.map((f) => f.path), projectDir: projectDir.value.trim(), as: as.value, ...unitsParam(), options },
        { signal: controller.signal, onProgress },
      );
      result.value = done;
      phase.value = 'done';
      if (done.terrainPath) void site.importTerrain(done.terrainPath);
    } catch (err) {
      phase.value = 'review';
      const e = describe(err);
      if (e.code === 'CANCELLED') cancelled.value = true;
      else error.value = e;
    } finally {
      if (importController === controller) importController = null;
      job.value = null;
    }
  }

  // The engine names the default folder in engine.info, which may arrive after the dialog opened.
  watch(
    () => engine.info?.defaultProjectDir,
    (dir) => {
      if (dir && !projectDir.value && projectSource.value === 'default') projectDir.value = dir;
    },
  );

  function cancelImport(): void {
    importController?.abort();
  }

  /** Closes the dialog; an import under way is not dropped silently (cancel it first). */
  function close(): void {
    if (phase.value === 'importing') return;
    reset();
    open.value = false;
  }

  return {
    open,
    phase,
    files,
    as,
    units,
    projectDir,
    projectSource,
    chosenProject,
    cellSize,
    fill,
    despike,
    droppedWithoutPath,
    job,
    result,
    error,
    cancelled,
    ready,
    inspecting,
    canAccept,
    openDialog,
    chooseProject,
    setProjectDir,
    useDefaultProject,
    addPaths,
    removeFile,
    setAs,
    setUnits,
    accept,
    cancelImport,
    close,
  };
});

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

function detail(details: Record<string, unknown> | undefined, key: string): string | null {
  const value = details?.[key];
  return typeof value === 'string' && value ? value : null;
}

function describe(err: unknown): ImportError {
  const e = err instanceof TerraError ? err : TerraError.wrap(err);
  return { code: e.code, message: e.message, file: detail(e.details, 'file'), field: detail(e.details, 'field'), problem: detail(e.details, 'problem') };
}
