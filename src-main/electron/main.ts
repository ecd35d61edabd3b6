// Electron main process: the shell around the plain-Node services (src-main/services).
import { app, shell } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasAnyKubeconfig } from '../app/kubeconfig-presence';
import { StateStore } from '../app/state-store';
import {
  initialViewFor,
  parseStartupArgs,
  resolveArgPaths,
  userCwd,
  type InitialView,
  type WizardPrefill,
} from '../app/startup-args';
import { importLoginShellPath } from '../cluster/shell-path';
import { ApiSession, createContextsHub, defaultDeps, isAllowedExternalUrl } from '../services';
import { handleAppProtocol, registerAppScheme } from './app-protocol';
import { registerApiHandlers } from './ipc-main';
import { installMenu } from './menu';
import { renderHtmlToPdf } from './pdf';
import { hardenApp, hardenSession } from './security';
import { trustedOrigins } from './trusted-origin';
import { WindowManager } from './windows';

const here = dirname(fileURLToPath(import.meta.url));
const log = (line: string) => process.stderr.write(`netpol-doctor: ${line}\n`);

const args = resolveArgPaths(parseStartupArgs(process.argv.slice(1)), userCwd());
for (const p of args.problems) log(p);

if (!app.requestSingleInstanceLock({ cwd: userCwd() })) {
  // The first instance opens our --context/--snapshot in a new window (second-instance below).
  app.quit();
} else {
  const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
  const origins = trustedOrigins(devServerUrl);
  registerAppScheme();
  hardenApp(origins, log);

  const deps = defaultDeps();
  const contexts = createContextsHub(deps, args.kubeconfig);
  let windows: WindowManager;

  const openView = (view: InitialView, wizard: WizardPrefill = {}) => windows.open(view, wizard);

  app.on('second-instance', (_event, argv, workingDirectory, additionalData) => {
    // the second launch sends the directory its user started from (npm start runs in the package folder)
    const sent = (additionalData as { cwd?: unknown } | undefined)?.cwd;
    const base = typeof sent === 'string' && sent ? sent : workingDirectory;
    const second = resolveArgPaths(parseStartupArgs(argv.slice(1)), base);
    for (const p of second.problems) log(p);
    const view = initialViewFor(second, hasAnyKubeconfig(second.kubeconfig ?? args.kubeconfig));
    if (view.kind === 'none' && windows.count() > 0) windows.focusAny();
    else openView(view, second.wizard);
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Apps started from a desktop launcher lack the login shell's PATH, so kubeconfig exec plugins
  // (aws, gke-gcloud-auth-plugin, kubelogin) would fail with ENOENT: import it first (5 s timeout).
  const shellPath = importLoginShellPath().then((r) => {
    if (!r.imported && r.error) log(`could not import the login shell PATH: ${r.error}`);
  });

  app
    .whenReady()
    .then(() => shellPath)
    .then(() => {
      hardenSession();
      handleAppProtocol(join(here, '..', 'renderer'));
      const store = new StateStore({ dir: app.getPath('userData'), warn: log });
      windows = new WindowManager({
        preloadPath: join(here, '..', 'preload', 'index.cjs'),
        devServerUrl,
        store,
        createSession: (initial, wizard) =>
          new ApiSession({
            transport: 'ipc',
            initial,
            prefill: wizard,
            deps,
            kubeconfig: args.kubeconfig,
            nativeFiles: true,
            contexts,
            openExternal: async (url) => {
              if (!isAllowedExternalUrl(url)) return false;
              await shell.openExternal(url);
              return true;
            },
            renderPdf: renderHtmlToPdf,
          }),
      });
      registerApiHandlers({ origins, sessionFor: (c) => windows.sessionFor(c), log });
      installMenu({ open: (v) => openView(v), recent: () => store.recent() });
      openView(initialViewFor(args, hasAnyKubeconfig(args.kubeconfig)), args.wizard);
      app.on('activate', () => {
        if (windows.count() === 0) openView({ kind: 'demo' });
      });
      app.on('before-quit', () => contexts.close());
    })
    .catch((err: unknown) => {
      log(`cannot start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      app.exit(1);
    });
}
