import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { ApiError, requestSchemas, type ApiMethod } from '@shared/api/contract';
import type { ApiSession } from '../services/api-session';
import { toApiErrorPayload } from '../services/errors';
import { API_EVENT_CHANNEL, apiChannel, type IpcEventMessage, type IpcReply } from './ipc-protocol';
import { isTrustedSender } from './trusted-origin';

/**
 * One ipcMain.handle per API method. Every call: the sender must be the main frame of one of our
 * pages, and the webContents must own a session (a window we created); the argument is validated
 * by the session against the contract's schema.
 */
export function registerApiHandlers(opts: {
  origins: readonly string[];
  sessionFor(sender: WebContents): ApiSession | undefined;
  log(line: string): void;
}): void {
  for (const method of Object.keys(requestSchemas) as ApiMethod[]) {
    ipcMain.handle(apiChannel(method), async (event: IpcMainInvokeEvent, arg: unknown): Promise<IpcReply> => {
      const frame = event.senderFrame;
      if (
        !isTrustedSender(
          frame ? { url: frame.url, isMainFrame: frame === event.sender.mainFrame } : null,
          opts.origins,
        )
      ) {
        opts.log(`refused IPC ${method} from an untrusted frame (${frame?.url ?? 'unknown'})`);
        return {
          ok: false,
          error: new ApiError('forbidden', 'refused: this page may not call the API').toPayload(),
        };
      }
      const session = opts.sessionFor(event.sender);
      if (!session)
        return { ok: false, error: new ApiError('forbidden', 'refused: unknown window').toPayload() };
      try {
        return { ok: true, result: await session.call(method, arg) };
      } catch (err) {
        const error = toApiErrorPayload(err);
        if (error.code === 'internal')
          opts.log(
            `API ${method} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
          );
        return { ok: false, error };
      }
    });
  }
}

/** Sends a session's events to its own window only. */
export function forwardEvents(session: ApiSession, contents: WebContents): () => void {
  return session.events.on((event, payload) => {
    if (contents.isDestroyed()) return;
    const msg: IpcEventMessage = { event, payload };
    contents.send(API_EVENT_CHANNEL, msg);
  });
}
