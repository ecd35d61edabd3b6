import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A fresh per-run access token: 32 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The Host values a page served by us can carry. Anything else is DNS rebinding or a proxy: refuse. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).includes(host.toLowerCase());
}

/** A missing Origin is fine (navigations, non-browser clients with the token); a foreign one is not. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return allowedHosts(port).some((h) => origin.toLowerCase() === `http://${h}`);
}

export function tokensEqual(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Cookies are not isolated by port, so the cookie name carries it. */
export function tokenCookieName(port: number): string {
  return `netpol_doctor_${port}`;
}

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

export type TokenCheck =
  { ok: true; via: 'query' | 'cookie' } | { ok: false; status: 401 | 403; reason: string };

/** The token may come in the query (`?token=`) or in our cookie (set when the page was first opened with it). */
export function checkToken(req: IncomingMessage, url: URL, token: string, port: number): TokenCheck {
  const fromQuery = url.searchParams.get('token') ?? undefined;
  if (fromQuery !== undefined) {
    return tokensEqual(fromQuery, token)
      ? { ok: true, via: 'query' }
      : { ok: false, status: 403, reason: 'wrong access token' };
  }
  const fromCookie = readCookie(req, tokenCookieName(port));
  if (fromCookie !== undefined) {
    return tokensEqual(fromCookie, token)
      ? { ok: true, via: 'cookie' }
      : { ok: false, status: 403, reason: 'wrong access token' };
  }
  return { ok: false, status: 401, reason: 'missing access token' };
}

/** The CSP of every page the host serves (the renderer's meta tag carries the same policy). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};
