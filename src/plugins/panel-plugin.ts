import { ILabShell, ILayoutRestorer, type JupyterFrontEnd, type JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { CommandIDs, PALETTE_CATEGORY } from '../command-ids';
import { ProjectsPanel } from '../components/projects-panel';
import { projectsIcon } from '../icons';
import { type CheckoutOperations, checkoutOperations } from '../model/checkout-operations';
import { ConnectionModel } from '../model/connection-model';
import type { CheckoutActions } from '../components/projects-panel';
import { IProjectsModel } from '../tokens';

export const PANEL_PLUGIN_ID = 'jupyterlab-hubshare:panel';
const PANEL_ID = 'jp-hubshare-projects';

/**
 * Wires the Projects sidebar panel: the connection model, the view, its commands and settings.
 * Provides the model to the other HubShare plugins.
 */
export const panelPlugin: JupyterFrontEndPlugin<ConnectionModel> = {
  id: PANEL_PLUGIN_ID,
  description: 'The HubShare "Projects" panel in the left sidebar.',
  autoStart: true,
  provides: IProjectsModel,
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
    const resolve = async (path: string) => {
      await app.commands.execute(CommandIDs.resolveConflicts, { path });
    };
    const panel = new ProjectsPanel(model, trans, checkoutActions(checkoutOperations, model, trans, resolve), {
      browse: project => void app.commands.execute(CommandIDs.browseProject, { project }),
      history: project => void app.commands.execute(CommandIDs.showHistory, { project })
    });
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
          const apply = () =>
            model.setRefreshIntervals({
              lists: settings.get('refreshInterval').composite as number,
              statuses: settings.get('statusInterval').composite as number
            });
          apply();
          settings.changed.connect(apply);
        })
        .catch(reason => console.error('HubShare: could not load the panel settings.', reason));
    }
    return model;
  }
};

/**
 * Push and Pull for the panel's rows: progress and outcome in JupyterLab's notifications, in
 * words for people who do not know git, then a refresh of the panel and of that checkout's
 * status. A pull that stops at conflicts opens the conflict picker.
 */
function checkoutActions(
  operations: CheckoutOperations,
  model: ConnectionModel,
  trans: TranslationBundle,
  resolve: (path: string) => Promise<void>
): CheckoutActions {
  const run = async (path: string, pending: string, work: () => Promise<{ message: string; type: 'success' | 'info' | 'warning' }>) => {
    const id = Notification.emit(pending, 'in-progress', { autoClose: false });
    try {
      const { message, type } = await model.operate(path, work);
      Notification.update({ id, message, type, autoClose: type === 'warning' ? false : 5000 });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      Notification.update({ id, message, type: 'error', autoClose: false });
    }
  };
  return {
    push: path =>
      run(path, trans.__('Pushing %1…', path), async () => {
        const result = await operations.push(path);
        return result.pushed
          ? { message: trans.__('Pushed %1.', path), type: 'success' }
          : { message: trans.__('Nothing to push in %1: it has no changes.', path), type: 'info' };
      }),
    pull: path =>
      run(path, trans.__('Pulling %1…', path), async () => {
        const result = await operations.pull(path);
        if (result.state === 'conflicted') {
          void resolve(path);
          // The picker that just opened says the rest; a toast that stays would cover it.
          return {
            message: trans.__(
              'You and others changed the same files in %1 (%2). Your versions are kept on disk: pick mine or theirs for each in the conflict picker, or cancel the pull there.',
              path,
              result.conflicts.map(conflict => conflict.path).join(', ')
            ),
            type: 'info'
          };
        }
        return result.state === 'updated'
          ? { message: trans.__('Pulled the latest changes into %1.', path), type: 'success' }
          : { message: trans.__('%1 is already up to date.', path), type: 'info' };
      }),
    resolve
  };
}
