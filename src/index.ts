import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { conflictPickerPlugin } from './plugins/conflict-picker-plugin';
import { fileBrowserMenuPlugin } from './plugins/file-browser-menu-plugin';
import { panelPlugin } from './plugins/panel-plugin';

/** Every HubShare plugin; each wires one concern. */
const plugins: JupyterFrontEndPlugin<unknown>[] = [panelPlugin, conflictPickerPlugin, fileBrowserMenuPlugin];

export default plugins;
