import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FullConfig } from '@playwright/test';
import { ROOT, startHostProcess } from './host-process';

export const NO_KUBECONFIG = join(ROOT, 'test-results', 'no-kubeconfig', 'config');
export const STORAGE_STATE = join(ROOT, 'test-results', '.auth', 'host-cookie.json');

/**
 * Starts the browser-mode host once for all specs (like `npm run web`, BROWSER=none, a free port)
 * and hands its address to the specs: env NETPOL_URL (with the token), NETPOL_ORIGIN, NETPOL_TOKEN,
 * and a storage state holding the host's token cookie so `page.goto('/')` just works.
 */
export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  // No kubeconfig (a path that does not exist): the app opens the demo, whatever this machine has.
  const host = await startHostProcess(['--web'], {
    env: { KUBECONFIG: NO_KUBECONFIG, NETPOL_NO_REBUILD: '1' },
  });
  process.env.NETPOL_URL = host.url;
  process.env.NETPOL_ORIGIN = host.origin;
  process.env.NETPOL_TOKEN = host.token;
  mkdirSync(dirname(STORAGE_STATE), { recursive: true });
  writeFileSync(
    STORAGE_STATE,
    JSON.stringify({
      cookies: [
        {
          name: `netpol_doctor_${host.port}`,
          value: host.token,
          domain: '127.0.0.1',
          path: '/',
          expires: -1,
          httpOnly: true,
          secure: false,
          sameSite: 'Strict',
        },
      ],
      origins: [],
    }),
  );
  return () => host.stop();
}
