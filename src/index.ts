import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { panelPlugin } from './plugins/panel-plugin';

/** Every HubShare plugin; each wires one concern. */
const plugins: JupyterFrontEndPlugin<void>[] = [panelPlugin];

export default plugins;
