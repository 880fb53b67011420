/**
 * Files dragged onto the window. While a drag carrying files is over the
 * window, `dragging` is true (the drop overlay shows); a drop hands the files
 * on with their absolute paths where the host can give them: the desktop
 * app's preload (window.terra.pathForFile) can, a browser cannot (serve mode),
 * so there the names come without paths. Dropping never navigates away.
 */
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

export interface DroppedFiles {
  /** Absolute paths, in drop order (desktop). */
  paths: string[];
  /** Names of files without a path (every file in a browser). */
  withoutPath: string[];
}

export function canResolvePaths(): boolean {
  return typeof window.terra?.pathForFile === 'function';
}

function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

export function useFileDrop(onDrop: (files: DroppedFiles) => void): { dragging: Ref<boolean> } {
  const dragging = ref(false);
  // dragenter/dragleave fire for every child element crossed: count them.
  let depth = 0;

  const onEnter = (event: DragEvent) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    depth++;
    dragging.value = true;
  };
  const onOver = (event: DragEvent) => {
    if (!carriesFiles(event)) return;
    event.preventDefault(); // allows the drop (and stops the browser opening the file)
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    dragging.value = true;
  };
  const onLeave = (event: DragEvent) => {
    if (!carriesFiles(event)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) dragging.value = false;
  };
  const onDropEvent = (event: DragEvent) => {
    depth = 0;
    dragging.value = false;
    if (!carriesFiles(event)) return;
    event.preventDefault();
    const list = Array.from(event.dataTransfer?.files ?? []);
    const paths: string[] = [];
    const withoutPath: string[] = [];
    for (const file of list) {
      const path = canResolvePaths() ? window.terra!.pathForFile(file) : '';
      if (path) paths.push(path);
      else withoutPath.push(file.name);
    }
    onDrop({ paths, withoutPath });
  };

  onMounted(() => {
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDropEvent);
  });
  onBeforeUnmount(() => {
    window.removeEventListener('dragenter', onEnter);
    window.removeEventListener('dragover', onOver);
    window.removeEventListener('dragleave', onLeave);
    window.removeEventListener('drop', onDropEvent);
  });
  return { dragging };
}
