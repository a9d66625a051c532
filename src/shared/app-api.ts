/**
 * The one object the renderer talks to (exposed by the Electron preload, later also by the
 * loopback web host). It grows with each feature; the renderer never learns which host is behind it.
 */
export interface CutoverApi {
  appVersion: string;
}

declare global {
  interface Window {
    cutover?: CutoverApi;
  }
}
