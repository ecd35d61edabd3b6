import { app, session, shell, type WebContents } from 'electron';
import { isAllowedExternalUrl } from '../services/external-links';
import { CONTENT_SECURITY_POLICY } from '../host/security';
import { isTrustedUrl } from './trusted-origin';

/**
 * App-wide hardening (Electron security checklist): sandbox everywhere, deny every permission,
 * CSP on every response, no navigation away from our origin, no new windows, no <webview>,
 * external links only to the https allowlist.
 */
export function hardenApp(origins: readonly string[], log: (line: string) => void): void {
  app.enableSandbox();
  app.on('web-contents-created', (_e, contents) => hardenContents(contents, origins, log));
}

export function hardenSession(): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
  s.setDevicePermissionHandler(() => false);
  s.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders: headers });
  });
}

function openExternalIfAllowed(url: string, log: (line: string) => void): void {
  if (isAllowedExternalUrl(url)) void shell.openExternal(url);
  else log(`blocked opening ${url.slice(0, 200)}`);
}

function hardenContents(
  contents: WebContents,
  origins: readonly string[],
  log: (line: string) => void,
): void {
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url, origins)) {
      event.preventDefault();
      openExternalIfAllowed(url, log);
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedUrl(url, origins)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(url, log);
    return { action: 'deny' };
  });
}
