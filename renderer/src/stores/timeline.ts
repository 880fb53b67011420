/**
 * Which frame is on show, and playback: play / pause, scrub, speed. The
 * timeline plays one series at a time, the flood run's frames or the
 * weather's (6 h apart): starting either makes it the one on show, and when
 * both have frames the user picks. While a job streams, the timeline follows
 * the newest frame ("live") until the user scrubs or plays; playing past the
 * newest frame of a job still under way goes back to live. The clock that
 * advances playback is in usePlayback; this store is plain state.
 */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { useRunStore } from './run';
import { useWeatherStore } from './weather';

/** Frames per second at speed 1. */
export const BASE_FPS = 4;
export const SPEEDS = [0.5, 1, 2, 4] as const;

export type TimelineSource = 'flood' | 'weather';

export const useTimelineStore = defineStore('timeline', () => {
  const run = useRunStore();
  const weather = useWeatherStore();

  const source = ref<TimelineSource>('flood');
  const index = ref(0);
  const playing = ref(false);
  const speed = ref(1);
  /** Showing the newest frame as frames arrive. */
  const following = ref(true);

  const frames = computed<readonly { time: number }[]>(() => (source.value === 'weather' ? weather.frames : run.frames));
  const running = computed(() => (source.value === 'weather' ? weather.phase : run.phase) === 'running');
  const count = computed(() => frames.value.length);
  const shown = computed(() => Math.min(index.value, count.value - 1));
  /** The frame on show, whichever series it is from. */
  const frame = computed(() => frames.value[shown.value] ?? null);
  /** The flood frame on show (null while the weather is), and the weather frame on show (null while the flood is). */
  const floodFrame = computed(() => (source.value === 'flood' ? (run.frames[shown.value] ?? null) : null));
  /**
   * The weather frame on show: the timeline's own while it plays the
   * weather; while it plays a flood of the weather scenario's storm (one
   * clock), the latest weather frame at or before the flood frame's time.
   */
  const weatherFrame = computed(() => {
    if (source.value === 'weather') return weather.frames[shown.value] ?? null;
    const start = run.coupledStart;
    const flood = run.frames[shown.value];
    if (start === null || !flood) return null;
    return latestAtOrBefore(weather.frames, start + flood.time);
  });
  const live = computed(() => following.value && running.value);
  const atEnd = computed(() => index.value >= count.value - 1);
  /** Both series have frames: the user may switch. */
  const both = computed(() => run.frames.length > 0 && weather.frames.length > 0);

  watch(count, (n) => {
    if (n === 0) {
      index.value = 0;
      playing.value = false;
      following.value = true;
    } else if (following.value) index.value = n - 1;
  });
  // A job that starts streaming takes the timeline.
  watch(
    () => run.phase,
    (phase) => phase === 'running' && show('flood'),
  );
  watch(
    () => weather.phase,
    (phase) => phase === 'running' && show('weather'),
  );
  // One that ended with no frames (refused, cancelled at once) gives it back to the other series, if it has frames.
  watch(
    () => [source.value, running.value, count.value, run.frames.length, weather.frames.length] as const,
    ([from, busy, n, flood, storm]) => {
      if (busy || n > 0) return;
      if (from === 'weather' && flood > 0) show('flood');
      else if (from === 'flood' && storm > 0) show('weather');
    },
  );

  /** Puts a series on the timeline, at its newest frame. */
  function show(next: TimelineSource): void {
    playing.value = false;
    following.value = true;
    source.value = next;
    index.value = Math.max(0, count.value - 1);
  }

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

  /** One playback step: the next frame, or at the last one stop (and follow a job still streaming). */
  function advance(): void {
    if (!atEnd.value) {
      index.value++;
      return;
    }
    playing.value = false;
    if (running.value) following.value = true;
  }

  function setSpeed(value: number): void {
    if ((SPEEDS as readonly number[]).includes(value)) speed.value = value;
  }

  function goLive(): void {
    following.value = true;
    playing.value = false;
    index.value = Math.max(0, count.value - 1);
  }

  return {
    source,
    index,
    playing,
    speed,
    following,
    count,
    frame,
    floodFrame,
    weatherFrame,
    running,
    live,
    atEnd,
    both,
    show,
    seek,
    play,
    pause,
    toggle,
    advance,
    setSpeed,
    goLive,
  };
});

/** The last frame whose time is at or before t (frames in time order), or null. */
function latestAtOrBefore<F extends { time: number }>(frames: readonly F[], t: number): F | null {
  let lo = 0;
  let hi = frames.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (frames[mid]!.time <= t + 1e-6) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? frames[lo - 1]! : null;
}
