import { useSyncExternalStore } from 'react';

/** Hash routes: `#/wizard?from=ns/pod&to=ns/pod&port=8080&protocol=TCP`. */
export type ViewId = 'overview' | 'wizard' | 'flows' | 'check' | 'lint';
export const views: { id: ViewId; label: string; hint: string }[] = [
  { id: 'overview', label: 'Overview', hint: 'What was loaded, CNI health' },
  { id: 'wizard', label: 'Wizard', hint: 'Why can’t A reach B?' },
  { id: 'flows', label: 'Flows', hint: 'Hubble flows, explain a drop' },
  { id: 'check', label: 'Check', hint: 'Expected connections' },
  { id: 'lint', label: 'Lint', hint: 'Policy findings' },
];

export interface Route {
  view: ViewId;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const h = hash.replace(/^#\/?/, '');
  const q = h.indexOf('?');
  const path = q >= 0 ? h.slice(0, q) : h;
  const params = new URLSearchParams(q >= 0 ? h.slice(q + 1) : '');
  const view = (views.find((v) => v.id === path)?.id ?? 'overview') as ViewId;
  return { view, params };
}

export function routeHash(view: ViewId, params?: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined && v !== '') p.set(k, String(v));
  const qs = p.toString();
  return `#/${view}${qs ? `?${qs}` : ''}`;
}

export function navigate(view: ViewId, params?: Record<string, string | number | undefined>): void {
  const h = routeHash(view, params);
  if (location.hash !== h) location.hash = h;
}

function subscribe(cb: () => void) {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => location.hash);
  return parseHash(hash);
}
