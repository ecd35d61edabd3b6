import { APP_ORIGIN } from './ipc-protocol';

/**
 * The origins our renderer may run under: app://netpol, plus the electron-vite dev server in
 * development. Compared as parsed origins, never with startsWith.
 */
export function trustedOrigins(devServerUrl?: string): string[] {
  const list = [APP_ORIGIN];
  if (devServerUrl) {
    try {
      list.push(new URL(devServerUrl).origin);
    } catch {
      // ignore a malformed dev URL
    }
  }
  return list;
}

export function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    // custom schemes report origin "null": build it from scheme + host
    return u.origin !== 'null' ? u.origin : `${u.protocol}//${u.host}`;
  } catch {
    return undefined;
  }
}

export function isTrustedUrl(url: string | undefined, origins: readonly string[]): boolean {
  if (!url) return false;
  const o = originOf(url);
  return o !== undefined && origins.includes(o);
}

/** IPC is accepted only from the main frame of one of our pages. */
export function isTrustedSender(
  frame: { url: string; isMainFrame: boolean } | null | undefined,
  origins: readonly string[],
): boolean {
  return !!frame && frame.isMainFrame && isTrustedUrl(frame.url, origins);
}
