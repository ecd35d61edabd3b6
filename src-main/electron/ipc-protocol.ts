import type { ApiErrorPayload, ApiEvent } from '@shared/api/contract';

/** Channel names and message shapes of the Electron IPC transport (shared by main and preload). */
export const API_CHANNEL_PREFIX = 'netpol-api:';
export const API_EVENT_CHANNEL = 'netpol-api-event';

export function apiChannel(method: string): string {
  return API_CHANNEL_PREFIX + method;
}

/** ipcMain.handle replies with an envelope, so the error code survives the IPC boundary. */
export type IpcReply = { ok: true; result: unknown } | { ok: false; error: ApiErrorPayload };

export interface IpcEventMessage {
  event: ApiEvent;
  payload: unknown;
}

/** The app:// origin the renderer is served from. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'netpol';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
