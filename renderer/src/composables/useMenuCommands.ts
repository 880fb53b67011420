/**
 * Desktop menu commands (window.terra.onMenu), dispatched to a handler per
 * command kind. Listens while the calling component is mounted; in a browser,
 * where there is no menu, it does nothing.
 */
import { onBeforeUnmount, onMounted } from 'vue';
import type { MenuCommand } from '@api';

export type MenuHandlers = {
  [K in MenuCommand['kind']]: (command: Extract<MenuCommand, { kind: K }>) => void;
};

export function useMenuCommands(handlers: MenuHandlers): void {
  let stop: (() => void) | null = null;
  onMounted(() => {
    stop = window.terra?.onMenu((command) => dispatch(handlers, command)) ?? null;
  });
  onBeforeUnmount(() => stop?.());
}

function dispatch(handlers: MenuHandlers, command: MenuCommand): void {
  const handler = handlers[command.kind] as ((command: MenuCommand) => void) | undefined;
  handler?.(command);
}
