/** The playback clock: while the timeline plays, steps it at BASE_FPS x speed from requestAnimationFrame. */
import { onBeforeUnmount, watch } from 'vue';
import { BASE_FPS, useTimelineStore } from '../stores/timeline';

export function usePlayback(): void {
  const timeline = useTimelineStore();
  let handle = 0;
  let last = 0;
  let owed = 0;

  const tick = (now: number) => {
    // A slow frame (a software GPU, a hidden tab) does not make playback jump ahead.
    owed += Math.min(now - last, 250) / 1000;
    last = now;
    const step = 1 / (BASE_FPS * timeline.speed);
    while (owed >= step && timeline.playing) {
      owed -= step;
      timeline.advance();
    }
    if (timeline.playing) handle = requestAnimationFrame(tick);
  };

  watch(
    () => timeline.playing,
    (playing) => {
      cancelAnimationFrame(handle);
      if (!playing) return;
      last = performance.now();
      owed = 0;
      handle = requestAnimationFrame(tick);
    },
  );
  onBeforeUnmount(() => cancelAnimationFrame(handle));
}
