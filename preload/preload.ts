import { contextBridge } from 'electron';
import type { LatchkeyBridge } from '../main/core/bridge';
import { LATCHKEY_VERSION } from '../main/core/version';

const bridge: LatchkeyBridge = { version: LATCHKEY_VERSION };

contextBridge.exposeInMainWorld('latchkey', bridge);
