// The Electron main process: one instance, one window on a sandboxed renderer served from app://
// with a strict CSP, the API on IPC with sender checks, the vault and the services behind it, the
// bundled subnet in a utilityProcess, a tray icon with lock. Everything here is wiring; the logic
// it applies lives in plain modules tested under Node (shell/policy.ts, api/, desk.ts, vault/).
import { app, BrowserWindow, Menu, Notification, Tray, ipcMain, nativeImage, protocol, session, shell, utilityProcess } from 'electron';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assembleCore } from './app.ts';
import { bindIpc } from './ipc.ts';
import type { Launcher } from './network/local-subnet.ts';
import { createNotifier } from './shell/notifier.ts';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, contentType, isAllowedDownload, isAllowedExternalUrl, isAllowedNavigation, resolveAppFile, securityHeaders } from './shell/policy.ts';

// The bundles sit next to each other in dist/ (electron/scripts/bundle.ts).
const here = __dirname;
const RENDERER_DIR = join(here, '..', 'renderer');
const PRELOAD = join(here, 'preload.cjs');
const SUBNET_ENTRY = join(here, '..', 'subnet', 'cli.mjs');
const ICON = join(here, '..', '..', 'build', 'icon.png');

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void start();
}

async function start() {
  // NEURON_DESK_DATA_DIR: a separate data folder (tests; a second profile).
  if (process.env.NEURON_DESK_DATA_DIR) app.setPath('userData', process.env.NEURON_DESK_DATA_DIR);
  await app.whenReady();
  const dataDir = app.getPath('userData');
  const launchSubnet: Launcher = (args) => utilityProcess.fork(SUBNET_ENTRY, args, { stdio: 'pipe', serviceName: 'Neuron Desk test subnet' }) as never;
  const core = assembleCore({ dataDir, launchSubnet });
  const { vault } = core;
  bindIpc(ipcMain, core.dispatch);

  // Every session: deny permissions, serve app:// with the CSP, no other protocol handlers.
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // Downloads: only the app's own blob: URLs (CSV exports); Electron asks where to save them.
  ses.on('will-download', (event, item) => {
    if (!isAllowedDownload(item.getURL())) event.preventDefault();
  });
  // Defense in depth: any http(s) response a window might get carries the renderer's CSP too (the
  // literal equals shell/policy.ts contentSecurityPolicy(); test/electron/shell-policy.test.ts checks).
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [
          "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; object-src 'none'; frame-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; worker-src 'none'; manifest-src 'none'",
        ],
      },
    });
  });
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(RENDERER_DIR, request.url);
    if (!file) return new Response('not found', { status: 404 });
    try {
      return new Response(await readFile(file), { headers: { ...securityHeaders(), 'Content-Type': contentType(file) } });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });

  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAllowedNavigation(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAllowedNavigation(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // A link the user clicked (target=_blank): https only, in the user's browser.
      // Reviewed: the URL passed isAllowedExternalUrl (https, no credentials) just above.
      if (isAllowedExternalUrl(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
      return { action: 'deny' };
    });
  });

  const win = createWindow();
  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  // OS notifications (proposals closing soon; none while locked). A click brings the window forward
  // on the proposal: a change of the URL's fragment only, which the renderer's router follows.
  core.desk.events.subscribe(
    createNotifier({
      Notification,
      isLocked: () => vault.status().locked,
      open: (route) => {
        if (win.isMinimized()) win.restore();
        win.show();
        win.focus();
        if (route !== undefined) void win.loadURL(`${APP_ORIGIN}/#/${route}`);
      },
    }),
  );
  const tray = new Tray(nativeImage.createFromPath(ICON));
  tray.setToolTip('Neuron Desk');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Show Neuron Desk', click: () => win.show() },
      { label: 'Lock', click: () => vault.lock() },
      { type: 'separator' },
      { label: 'Quit', click: () => app.quit() },
    ]),
  );

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void core.close().finally(() => app.exit(0));
  });
  app.on('window-all-closed', () => app.quit());
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Neuron Desk',
    icon: ICON,
    show: false,
    // Reviewed: the preload only exposes window.desk (one invoke channel, known methods; preload.ts).
    webPreferences: {
      preload: PRELOAD, // eng-disable PRELOAD_JS_CHECK
      disableBlinkFeatures: 'Auxclick',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/`);
  return win;
}

export { APP_HOST };
