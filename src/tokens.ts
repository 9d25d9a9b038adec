import { Token } from '@lumino/coreutils';
import type { ConnectionModel } from './model/connection-model';

/**
 * The Projects panel's model (connection, checkouts and their statuses), provided by the panel
 * plugin so that the conflict picker and the file browser's menu read the same state.
 */
export const IProjectsModel = new Token<ConnectionModel>(
  'jupyterlab-hubshare:IProjectsModel',
  'The HubShare connection state and the checkouts on this server, with their statuses.'
);
