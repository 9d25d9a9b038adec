import { ILabShell, ILayoutRestorer, type JupyterFrontEnd, type JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { CommandIDs, PALETTE_CATEGORY } from '../command-ids';
import { ProjectsPanel } from '../components/projects-panel';
import { projectsIcon } from '../icons';
import { ConnectionModel } from '../model/connection-model';

export const PANEL_PLUGIN_ID = 'jupyterlab-hubshare:panel';
const PANEL_ID = 'jp-hubshare-projects';

/** Wires the Projects sidebar panel: the connection model, the view, its commands and settings. */
export const panelPlugin: JupyterFrontEndPlugin<void> = {
  id: PANEL_PLUGIN_ID,
  description: 'The HubShare "Projects" panel in the left sidebar.',
  autoStart: true,
  requires: [ILabShell],
  optional: [ICommandPalette, ILayoutRestorer, ISettingRegistry, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    labShell: ILabShell,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_hubshare');
    const model = new ConnectionModel();
    const panel = new ProjectsPanel(model, trans);
    panel.id = PANEL_ID;
    panel.title.icon = projectsIcon;
    panel.title.caption = trans.__('Projects');
    panel.node.setAttribute('role', 'region');
    panel.node.setAttribute('aria-label', trans.__('HubShare Projects'));
    labShell.add(panel, 'left', { rank: 650, type: 'HubShare Projects' });
    restorer?.add(panel, PANEL_ID);

    app.commands.addCommand(CommandIDs.openPanel, {
      label: trans.__('Open Projects panel'),
      caption: trans.__('Show the HubShare Projects panel in the left sidebar'),
      icon: args => (args.isPalette ? undefined : projectsIcon),
      execute: () => labShell.activateById(panel.id)
    });
    app.commands.addCommand(CommandIDs.refresh, {
      label: trans.__('Refresh projects'),
      caption: trans.__('Ask HubShare again for the connection state and projects'),
      execute: () => model.refresh()
    });
    for (const command of [CommandIDs.openPanel, CommandIDs.refresh]) {
      palette?.addItem({ command, category: PALETTE_CATEGORY });
    }

    if (settingRegistry) {
      void settingRegistry
        .load(PANEL_PLUGIN_ID)
        .then(settings => {
          const apply = () => model.setRefreshInterval(settings.get('refreshInterval').composite as number);
          apply();
          settings.changed.connect(apply);
        })
        .catch(reason => console.error('HubShare: could not load the panel settings.', reason));
    }
  }
};
