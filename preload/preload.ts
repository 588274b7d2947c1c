import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  BRIDGE_EVENT_CHANNEL,
  bridgeInvokeChannel,
  type BridgeEvent,
  type LatchkeyBridge,
} from '../main/core/bridge';
import { LATCHKEY_VERSION } from '../main/core/version';

/**
 * The whole surface the page gets: one method per invoke channel and one event feed.
 * ipcRenderer itself never reaches the page (Electron's context-isolation guidance).
 */
const bridge: LatchkeyBridge = {
  version: LATCHKEY_VERSION,
  clockLocale: () => ipcRenderer.invoke(bridgeInvokeChannel('clockLocale')),
  listSessions: () => ipcRenderer.invoke(bridgeInvokeChannel('listSessions')),
  startSignIn: (session, flow) => ipcRenderer.invoke(bridgeInvokeChannel('startSignIn'), session, flow),
  cancelSignIn: (session) => ipcRenderer.invoke(bridgeInvokeChannel('cancelSignIn'), session),
  retrySignIn: (session) => ipcRenderer.invoke(bridgeInvokeChannel('retrySignIn'), session),
  signOut: (session) => ipcRenderer.invoke(bridgeInvokeChannel('signOut'), session),
  openVerificationPage: (session) => ipcRenderer.invoke(bridgeInvokeChannel('openVerificationPage'), session),
  copyUserCode: (session) => ipcRenderer.invoke(bridgeInvokeChannel('copyUserCode'), session),
  copyVerificationUrl: (session) => ipcRenderer.invoke(bridgeInvokeChannel('copyVerificationUrl'), session),
  listAccounts: (session, refresh) => ipcRenderer.invoke(bridgeInvokeChannel('listAccounts'), session, refresh),
  recentRoles: () => ipcRenderer.invoke(bridgeInvokeChannel('recentRoles')),
  openConsole: (role) => ipcRenderer.invoke(bridgeInvokeChannel('openConsole'), role),
  copyExportCommands: (role) => ipcRenderer.invoke(bridgeInvokeChannel('copyExportCommands'), role),
  copyCredentialProcessLine: (role) => ipcRenderer.invoke(bridgeInvokeChannel('copyCredentialProcessLine'), role),
  addProfile: (role) => ipcRenderer.invoke(bridgeInvokeChannel('addProfile'), role),
  onEvent(listener) {
    const forward = (_event: IpcRendererEvent, payload: BridgeEvent): void => listener(payload);
    ipcRenderer.on(BRIDGE_EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(BRIDGE_EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('latchkey', bridge);
