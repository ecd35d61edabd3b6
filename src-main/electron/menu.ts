import { app, dialog, Menu, shell, type MenuItemConstructorOptions } from 'electron';
import type { RecentItem } from '../app/state-store';
import type { InitialView } from '../app/startup-args';

export interface MenuActions {
  open(view: InitialView): void;
  recent(): RecentItem[];
}

const DOCS: { label: string; url: string }[] = [
  {
    label: 'Kubernetes NetworkPolicy',
    url: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/',
  },
  { label: 'Cilium Network Policy', url: 'https://docs.cilium.io/en/stable/security/policy/' },
  { label: 'Calico Network Policy', url: 'https://docs.tigera.io/calico/latest/network-policy/' },
];

function recentItems(actions: MenuActions): MenuItemConstructorOptions[] {
  const items = actions.recent().map<MenuItemConstructorOptions>((r) => ({
    label: r.kind === 'context' ? `Context: ${r.label}` : r.kind === 'demo' ? 'Demo cluster' : r.label,
    click: () => {
      if (r.kind === 'context' && r.context) actions.open({ kind: 'context', context: r.context });
      else if (r.kind === 'files' && r.paths) actions.open({ kind: 'files', paths: r.paths });
      else actions.open({ kind: 'demo' });
    },
  }));
  return items.length ? items : [{ label: 'No recent items', enabled: false }];
}

/** The app menu with the usual roles, plus Open Snapshot / Demo / recent items. */
export function installMenu(actions: MenuActions): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Open Snapshot Files…',
          accelerator: 'CmdOrCtrl+O',
          click: async () => {
            const r = await dialog.showOpenDialog({
              title: 'Open snapshot files (kubectl get -o yaml|json)',
              properties: ['openFile', 'multiSelections'],
              filters: [
                { name: 'Kubernetes YAML/JSON', extensions: ['yaml', 'yml', 'json'] },
                { name: 'All files', extensions: ['*'] },
              ],
            });
            if (!r.canceled && r.filePaths.length) actions.open({ kind: 'files', paths: r.filePaths });
          },
        },
        { label: 'Open Demo Cluster', click: () => actions.open({ kind: 'demo' }) },
        {
          label: 'New Window',
          accelerator: 'CmdOrCtrl+Shift+N',
          click: () => actions.open({ kind: 'none' }),
        },
        { label: 'Open Recent', submenu: recentItems(actions) },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: DOCS.map((d) => ({ label: d.label, click: () => void shell.openExternal(d.url) })),
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
