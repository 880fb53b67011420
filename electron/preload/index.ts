/**
 * The sandboxed preload: exposes exactly `window.terra` (DesktopApi) and
 * nothing else. All logic lives in desktop-api.ts (unit-tested without
 * Electron); this file only wires in the real ipcRenderer and webUtils.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createDesktopApi, type IpcLike, type PortLike } from './desktop-api';

const ipc: IpcLike = {
  on: (channel, listener) =>
    ipcRenderer.on(channel, (event, payload: unknown) =>
      listener({ ports: event.ports as unknown as readonly PortLike[] }, payload),
    ),
  send: (channel, ...args) => ipcRenderer.send(channel, ...args),
};

contextBridge.exposeInMainWorld('terra', createDesktopApi(ipc, process.platform, { getPathForFile: (file) => webUtils.getPathForFile(file) }));
