import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { drivePlugin } from './plugins/drive-plugin';
import { panelPlugin } from './plugins/panel-plugin';

/** Every HubShare plugin; each wires one concern. */
const plugins: JupyterFrontEndPlugin<void>[] = [panelPlugin, drivePlugin];

export default plugins;
