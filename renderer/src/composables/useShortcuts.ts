/**
 * Single-key shortcuts for the view (ignored while typing in a field or with modifiers).
 * Keys in use: App.vue (h, r, 1-5 camera presets, w, p, space); AtmosphereControls.vue (k sky, g fog, n rain,
 * o clouds); FloodAnalysisPanel.vue (f flood layer, v arrows); ViewControls.vue (q water ripples).
 */
import { onBeforeUnmount, onMounted } from 'vue';

export function useShortcuts(keys: Record<string, () => void>): void {
  const onKey = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    const target = event.target as HTMLElement | null;
    if (target && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName))) return;
    const action = keys[event.key.toLowerCase()];
    if (action) {
      event.preventDefault();
      action();
    }
  };
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
