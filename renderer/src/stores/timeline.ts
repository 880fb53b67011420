/**
 * Which frame of the run is on show, and playback: play / pause, scrub,
 * speed. While a run streams the timeline follows the newest frame ("live")
 * until the user scrubs or plays; playing past the newest frame of a run
 * still under way goes back to live. The clock that advances playback is in
 * usePlayback; this store is plain state.
 */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { useRunStore } from './run';

/** Frames per second at speed 1. */
export const BASE_FPS = 4;
export const SPEEDS = [0.5, 1, 2, 4] as const;

export const useTimelineStore = defineStore('timeline', () => {
  const run = useRunStore();

  const index = ref(0);
  const playing = ref(false);
  const speed = ref(1);
  /** Showing the newest frame as frames arrive. */
  const following = ref(true);

  const count = computed(() => run.frames.length);
  const frame = computed(() => run.frames[Math.min(index.value, count.value - 1)] ?? null);
  const live = computed(() => following.value && run.phase === 'running');
  const atEnd = computed(() => index.value >= count.value - 1);

  watch(count, (n) => {
    if (n === 0) {
      index.value = 0;
      playing.value = false;
      following.value = true;
    } else if (following.value) index.value = n - 1;
  });

  /** Shows frame i (clamped); the user took over, so playback and following stop. */
  function seek(i: number): void {
    playing.value = false;
    following.value = false;
    index.value = Math.max(0, Math.min(count.value - 1, Math.round(i)));
  }

  function play(): void {
    if (count.value < 2) return;
    if (atEnd.value) index.value = 0;
    following.value = false;
    playing.value = true;
  }

  function pause(): void {
    playing.value = false;
  }

  function toggle(): void {
    if (playing.value) pause();
    else play();
  }

  /** One playback step: the next frame, or at the last one stop (and follow a run still streaming). */
  function advance(): void {
    if (!atEnd.value) {
      index.value++;
      return;
    }
    playing.value = false;
    if (run.phase === 'running') following.value = true;
  }

  function setSpeed(value: number): void {
    if ((SPEEDS as readonly number[]).includes(value)) speed.value = value;
  }

  function goLive(): void {
    following.value = true;
    playing.value = false;
    index.value = Math.max(0, count.value - 1);
  }

  return { index, playing, speed, following, count, frame, live, atEnd, seek, play, pause, toggle, advance, setSpeed, goLive };
});
