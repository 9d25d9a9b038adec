import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { drivePlugin } from './plugins/drive-plugin';
import { conflictPickerPlugin } from './plugins/conflict-picker-plugin';
import { fileBrowserMenuPlugin } from './plugins/file-browser-menu-plugin';
import { panelPlugin } from './plugins/panel-plugin';
import { sharingPlugin } from './plugins/sharing-plugin';

/** Every HubShare plugin; each wires one concern. */
const plugins: JupyterFrontEndPlugin<unknown>[] = [panelPlugin, drivePlugin, sharingPlugin, conflictPickerPlugin, fileBrowserMenuPlugin];

export default plugins;
