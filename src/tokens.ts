import { Token } from '@lumino/coreutils';
import type { ConnectionModel } from './model/connection-model';

/** The connection to HubShare (who is signed in, their checkouts and projects), for other plugins. */
export const IHubShareConnection = new Token<ConnectionModel>(
  'jupyterlab-hubshare:connection',
  'The HubShare connection: the signed-in user, their checkouts and the projects they can read.'
);
