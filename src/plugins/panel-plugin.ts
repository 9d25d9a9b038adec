import { ILabShell, ILayoutRestorer, type JupyterFrontEnd, type JupyterFrontEndPlugin } from '@jupyterlab/application';
import { Dialog, ICommandPalette, Notification, showDialog } from '@jupyterlab/apputils';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import type { TranslationBundle } from '@jupyterlab/translation';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { CommandIDs, PALETTE_CATEGORY } from '../command-ids';
import { ProjectsPanel } from '../components/projects-panel';
import { projectsIcon } from '../icons';
import { type CheckoutOperations, checkoutOperations } from '../model/checkout-operations';
import type { CheckoutSummary } from '../model/agent-status';
import { canPush } from '../model/checkout-status';
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
  optional: [ICommandPalette, ILayoutRestorer, ISettingRegistry, ITranslator, IFileBrowserFactory],
  activate: (
    app: JupyterFrontEnd,
    labShell: ILabShell,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null,
    browsers: IFileBrowserFactory | null
  ) => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_hubshare');
    const model = new ConnectionModel();
    const resolve = async (path: string) => {
      await app.commands.execute(CommandIDs.resolveConflicts, { path });
    };
    let confirmBeforePull = false;
    const rowActions = checkoutActions(checkoutOperations, model, trans, resolve, () => confirmBeforePull);
    const run = (command: string, args: Record<string, string>) => void app.commands.execute(command, args);
    const panel = new ProjectsPanel(
      model,
      trans,
      {
        ...rowActions,
        share: path => run(CommandIDs.share, { path }),
        publish: path => run(CommandIDs.publish, { path }),
        openFolder: path => run('filebrowser:go-to-path', { path: `/${path}` }),
        history: project => run(CommandIDs.showHistory, { project })
      },
      {
        browse: project => run(CommandIDs.browseProject, { project }),
        history: project => run(CommandIDs.showHistory, { project }),
        checkOut: project => run(CommandIDs.checkOut, { project }),
        share: project => run(CommandIDs.share, { project }),
        manageTeams: () => run(CommandIDs.manageTeams, {})
      }
    );
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
    // Push and Pull of a checkout: from the palette (the checkout holding the file browser's
    // folder) and from the right-click menu of a checkout's folder.
    const checkoutOf = (args: { path?: unknown; isContextMenu?: unknown }): CheckoutSummary | null => {
      const listing = model.state.kind === 'connected' ? model.state.listing : null;
      const checkouts = listing?.checkouts ?? [];
      const selected = [...(browsers?.tracker.currentWidget?.selectedItems() ?? [])];
      const candidate =
        typeof args.path === 'string'
          ? args.path
          : args.isContextMenu
            ? selected.length === 1 && selected[0].type === 'directory'
              ? selected[0].path
              : null
            : (browsers?.tracker.currentWidget?.model.path ?? null);
      if (candidate === null) {
        return null;
      }
      // The checkout that holds the folder (the folder itself, or the nearest one above it).
      return (
        checkouts
          .filter(({ path }) => candidate === path || candidate.startsWith(`${path}/`) || path === '')
          .sort((a, b) => b.path.length - a.path.length)[0] ?? null
      );
    };
    // Pull applies to every checkout, Push only where the row offers it too.
    const applies = (id: string, checkout: CheckoutSummary | null) =>
      checkout !== null && (id !== CommandIDs.push || canPush(checkout, model.statusOf(checkout.path)));
    for (const [id, label, action] of [
      [CommandIDs.push, trans.__('Push'), rowActions.push],
      [CommandIDs.pull, trans.__('Pull'), rowActions.pull]
    ] as const) {
      app.commands.addCommand(id, {
        label: args => (args.isContextMenu ? label : id === CommandIDs.push ? trans.__('Push this project') : trans.__('Pull this project')),
        caption: id === CommandIDs.push ? trans.__('Send your changes to the project') : trans.__('Get the latest changes of the project'),
        isEnabled: args => applies(id, checkoutOf(args)),
        isVisible: args => !args.isContextMenu || applies(id, checkoutOf(args)),
        execute: async args => {
          const checkout = checkoutOf(args);
          if (checkout !== null && applies(id, checkout)) {
            await action(checkout.path);
          }
        }
      });
      app.contextMenu.addItem({ command: id, selector: '.jp-DirListing-item[data-isdir="true"]', rank: 62, args: { isContextMenu: true } });
      palette?.addItem({ command: id, category: PALETTE_CATEGORY });
    }

    for (const command of [CommandIDs.openPanel, CommandIDs.refresh]) {
      palette?.addItem({ command, category: PALETTE_CATEGORY });
    }

    if (settingRegistry) {
      void settingRegistry
        .load(PANEL_PLUGIN_ID)
        .then(settings => {
          const apply = () => {
            model.setRefreshIntervals({
              lists: settings.get('refreshInterval').composite as number,
              statuses: settings.get('statusInterval').composite as number
            });
            confirmBeforePull = settings.get('confirmBeforePull').composite === true;
          };
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
  resolve: (path: string) => Promise<void>,
  confirmBeforePull: () => boolean
): Pick<CheckoutActions, 'push' | 'pull' | 'resolve'> {
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
    pull: async path => {
      if (confirmBeforePull()) {
        const answer = await showDialog({
          title: trans.__('Pull %1?', path),
          body: trans.__('This brings the latest changes of the project into %1. Your own changes are kept; where both changed a file, you pick.', path),
          buttons: [Dialog.cancelButton(), Dialog.okButton({ label: trans.__('Pull') })]
        });
        if (!answer.button.accept) {
          return;
        }
      }
      await run(path, trans.__('Pulling %1…', path), async () => {
        const result = await operations.pull(path);
        if (result.state === 'conflicted') {
          void resolve(path);
          // The picker that just opened says the rest; a toast that stays would cover it.
          return {
            message: trans.__(
              'You and others changed the same parts of files in %1 (%2); everything else merged. Your versions are kept on disk: pick mine or theirs in the conflict picker, or cancel the pull there.',
              path,
              result.conflicts.map(conflict => conflict.path).join(', ')
            ),
            type: 'info'
          };
        }
        if (result.state === 'up-to-date') {
          return { message: trans.__('%1 is already up to date.', path), type: 'info' };
        }
        const merged = result.merged ?? [];
        return merged.length === 0
          ? { message: trans.__('Pulled the latest changes into %1.', path), type: 'success' }
          : {
              message: trans.__(
                'Pulled the latest changes into %1; changes from both sides merged in %2.',
                path,
                merged.map(file => file.path).join(', ')
              ),
              type: 'success'
            };
      });
    },
    resolve
  };
}
