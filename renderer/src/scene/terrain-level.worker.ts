/** Measures terrain tiles' errors and builds their levels off the main thread (terrain-level-builder.ts starts it; terrain-level-messages.ts says what it answers). */
import { levelBuffers, levelMessageHandler, type LevelMessage } from './terrain-level-messages';

const handle = levelMessageHandler();

self.onmessage = (event: MessageEvent<LevelMessage>) => {
  const answer = handle(event.data);
  self.postMessage(answer, { transfer: levelBuffers(answer) });
};
