import type { ApiEvent, ApiMethod, CutoverApi } from './app-api.js';
import type { ChosenFile, FilePurpose } from './chosen-files.js';
import { CutoverError } from './errors.js';

/**
 * Builds the API object from one generic call function, one event subscription and the host's
 * own file chooser, so the Electron preload and the web host's browser client expose exactly the
 * same methods. Without a file chooser (test doubles), choosing files fails with a clear error.
 */
export function createApiProxy(
  call: (method: ApiMethod, args: unknown[]) => Promise<unknown>,
  onEvent: (listener: (e: ApiEvent) => void) => () => void,
  chooseFiles: (purpose: FilePurpose) => Promise<ChosenFile[]> = async () => {
    throw new CutoverError({ code: 'usage', message: 'Choosing files is not available here.', retryable: false });
  },
): CutoverApi {
  const c =
    <T>(method: ApiMethod) =>
    (...args: unknown[]): Promise<T> =>
      call(method, args) as Promise<T>;
  return {
    appInfo: c('appInfo'),
    getWizardState: c('getWizardState'),
    saveWizardState: c('saveWizardState'),
    suggestServers: c('suggestServers'),
    testConnection: c('testConnection'),
    planFolders: c('planFolders'),
    preflight: c('preflight'),
    startSync: c('startSync'),
    cancelJob: c('cancelJob'),
    syncStatus: c('syncStatus'),
    compare: c('compare'),
    previewExtraCopies: c('previewExtraCopies'),
    removeExtraCopies: c('removeExtraCopies'),
    m365Status: c('m365Status'),
    m365SignIn: c('m365SignIn'),
    m365SignOut: c('m365SignOut'),
    previewPim: c('previewPim'),
    copyPim: c('copyPim'),
    outlookFile: c('outlookFile'),
    openLogFolder: c('openLogFolder'),
    checkDns: c('checkDns'),
    checkSmtp: c('checkSmtp'),
    deviceChecklist: c('deviceChecklist'),
    startWatch: c('startWatch'),
    stopWatch: c('stopWatch'),
    watchStatus: c('watchStatus'),
    recordSwitch: c('recordSwitch'),
    onEvent,
    chooseFiles,
  };
}
