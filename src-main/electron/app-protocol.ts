import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { resolveStatic, contentType } from '../host/static-files';
import { SECURITY_HEADERS } from '../host/security';
import { APP_HOST, APP_SCHEME } from './ipc-protocol';

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/** Serves the built renderer at app://netpol/ (never file://), with the same CSP as browser mode. */
export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') return new Response('not found', { status: 404 });
    const file = await resolveStatic(rendererDir, url.pathname);
    if (!file) return new Response('not found', { status: 404 });
    const body = await readFile(file);
    const headers = { ...SECURITY_HEADERS, 'Content-Type': contentType(file) };
    return new Response(new Uint8Array(body), { status: 200, headers });
  });
}
