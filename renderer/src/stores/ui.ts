/** Dialogs and one-off messages that are not tied to the terrain or the engine. */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';

export interface UiMessage {
  title: string;
  body: string;
}

export const useUiStore = defineStore('ui', () => {
  const aboutOpen = ref(false);
  const message = shallowRef<UiMessage | null>(null);

  function showAbout(): void {
    aboutOpen.value = true;
  }

  function closeAbout(): void {
    aboutOpen.value = false;
  }

  function showMessage(value: UiMessage): void {
    message.value = value;
  }

  function closeMessage(): void {
    message.value = null;
  }

  return { aboutOpen, message, showAbout, closeAbout, showMessage, closeMessage };
});
