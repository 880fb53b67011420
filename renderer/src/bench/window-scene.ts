/**
 * A TerrainScene filling the window, as the benchmark and renderer test
 * pages drive it; close() disposes it and removes its element.
 */
import { TerrainScene, type TerrainSceneEvents } from '../scene/TerrainScene';

export interface WindowScene {
  scene: TerrainScene;
  container: HTMLDivElement;
  close(): void;
}

export function windowScene(events: TerrainSceneEvents): WindowScene {
  const container = document.createElement('div');
  container.style.cssText = 'position:fixed;inset:0';
  document.body.appendChild(container);
  const scene = new TerrainScene(container, events);
  return {
    scene,
    container,
    close: () => {
      scene.dispose();
      container.remove();
    },
  };
}
