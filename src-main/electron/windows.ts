import { BrowserWindow, nativeTheme, screen, type WebContents } from 'electron';
import { resolve } from 'node:path';
import type { InitialView, WizardPrefill } from '../app/startup-args';
import type { StateStore } from '../app/state-store';
import type { ApiSession } from '../services/api-session';
import { assetPath } from '../paths';
import { forwardEvents } from './ipc-main';
import { APP_ORIGIN } from './ipc-protocol';
import { windowKey } from './window-key';

interface AppWindow {
  key: string;
  win: BrowserWindow;
  session: ApiSession;
}

export interface WindowManagerOptions {
  preloadPath: string;
  /** electron-vite dev server (development only) */
  devServerUrl?: string;
  store: StateStore;
  createSession(initial: InitialView, wizard: WizardPrefill): ApiSession;
}

/** Opens one window per context/snapshot, remembers bounds, owns each window's API session. */
export class WindowManager {
  private readonly byKey = new Map<string, AppWindow>();
  private readonly byContents = new Map<number, AppWindow>();

  constructor(private readonly opts: WindowManagerOptions) {}

  sessionFor(contents: WebContents): ApiSession | undefined {
    return this.byContents.get(contents.id)?.session;
  }

  count(): number {
    return this.byKey.size;
  }

  open(view: InitialView, wizard: WizardPrefill = {}): BrowserWindow {
    if (view.kind === 'files') view = { kind: 'files', paths: view.paths.map((p) => resolve(p)) };
    const key = windowKey(view);
    const existing = this.byKey.get(key);
    if (existing && !existing.win.isDestroyed()) {
      if (existing.win.isMinimized()) existing.win.restore();
      existing.win.focus();
      return existing.win;
    }
    const saved = this.opts.store.windowBounds(key);
    const visible =
      saved && saved.x !== undefined && saved.y !== undefined && this.onSomeDisplay(saved.x, saved.y);
    const win = new BrowserWindow({
      width: saved?.width ?? 1360,
      height: saved?.height ?? 880,
      ...(visible ? { x: saved.x, y: saved.y } : {}),
      minWidth: 900,
      minHeight: 600,
      show: false,
      title: 'Netpol Doctor',
      icon: assetPath('icons', 'icon.png'),
      backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#ffffff',
      webPreferences: {
        preload: this.opts.preloadPath,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        spellcheck: false,
      },
    });
    if (saved?.maximized) win.maximize();
    const session = this.opts.createSession(view, wizard);
    const entry: AppWindow = { key, win, session };
    this.byKey.set(key, entry);
    const contentsId = win.webContents.id;
    this.byContents.set(contentsId, entry);
    const stopEvents = forwardEvents(session, win.webContents);

    if (view.kind === 'context')
      this.opts.store.addRecent({ kind: 'context', label: view.context, context: view.context });
    else if (view.kind === 'files')
      this.opts.store.addRecent({ kind: 'files', label: view.paths.join(', '), paths: view.paths });

    const saveBounds = () => {
      if (win.isDestroyed()) return;
      const b = win.getNormalBounds();
      this.opts.store.setWindowBounds(key, {
        x: b.x,
        y: b.y,
        width: b.width,
        height: b.height,
        maximized: win.isMaximized(),
      });
    };
    win.on('close', saveBounds);
    win.on('closed', () => {
      stopEvents();
      session.dispose();
      this.byKey.delete(key);
      this.byContents.delete(contentsId);
    });
    win.once('ready-to-show', () => win.show());

    if (this.opts.devServerUrl) void win.loadURL(this.opts.devServerUrl);
    else void win.loadURL(`${APP_ORIGIN}/index.html`);
    return win;
  }

  private onSomeDisplay(x: number, y: number): boolean {
    return screen.getAllDisplays().some((d) => {
      const a = d.workArea;
      return x >= a.x - 50 && y >= a.y - 50 && x < a.x + a.width && y < a.y + a.height;
    });
  }

  focusAny(): void {
    const first = [...this.byKey.values()][0];
    if (first) first.win.focus();
  }
}
