import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { Dialog, ICommandPalette, Notification, showDialog } from '@jupyterlab/apputils';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator, type TranslationBundle } from '@jupyterlab/translation';
import { CommandIDs, PALETTE_CATEGORY } from '../command-ids';
import { CheckoutBody, CloneBody, PublishBody, suggestProjectName } from '../components/project-forms';
import { shareDialogBody, teamsDialogBody } from '../components/sharing-dialogs';
import type { ConnectionModel } from '../model/connection-model';
import { ShareModel, sharingApi, TeamsModel, type Visibility } from '../model/sharing';
import { hubShareProject } from '../model/agent-status';
import { requestAPI, sendJSON } from '../request';
import { IProjectsModel } from '../tokens';

export const SHARING_PLUGIN_ID = 'jupyterlab-hubshare:sharing';

const post = <T>(endPoint: string, body: unknown) => sendJSON<T>(endPoint, 'POST', body);

const stringArg = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

/** Runs an operation with its progress and outcome in a notification, then refreshes the panel. */
async function withNotification(model: ConnectionModel, pending: string, work: () => Promise<string>): Promise<boolean> {
  const id = Notification.emit(pending, 'in-progress', { autoClose: false });
  try {
    Notification.update({ id, message: await work(), type: 'success', autoClose: 5000 });
    return true;
  } catch (error) {
    Notification.update({ id, message: error instanceof Error ? error.message : String(error), type: 'error', autoClose: false });
    return false;
  } finally {
    await model.refresh();
  }
}

/**
 * Publish, check out, clone, share and teams: the dialogs, their commands (palette category
 * HubShare) and the file browser's right-click items for folders and checkouts.
 */
export const sharingPlugin: JupyterFrontEndPlugin<void> = {
  id: SHARING_PLUGIN_ID,
  description: 'Publish a folder, check out or clone a project, share it, and manage teams.',
  autoStart: true,
  requires: [IProjectsModel, IFileBrowserFactory],
  optional: [ICommandPalette, ISettingRegistry, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    connection: ConnectionModel,
    browsers: IFileBrowserFactory,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_hubshare');
    let defaultVisibility: Visibility = 'private';
    if (settingRegistry) {
      void settingRegistry
        .load(SHARING_PLUGIN_ID)
        .then(settings => {
          const apply = () => {
            defaultVisibility = settings.get('defaultVisibility').composite === 'hub' ? 'hub' : 'private';
          };
          apply();
          settings.changed.connect(apply);
        })
        .catch(reason => console.error('HubShare: could not load the sharing settings.', reason));
    }
    const connected = () => connection.state.kind === 'connected';
    const listing = () => (connection.state.kind === 'connected' ? connection.state.listing : null);
    const userName = () => (connection.state.kind === 'connected' ? connection.state.userName : '');

    /** The folder selected in the file browser (the right-clicked one), if one folder is. */
    const selectedFolder = (): string | null => {
      const browser = browsers.tracker.currentWidget;
      const items = browser ? [...browser.selectedItems()] : [];
      return items.length === 1 && items[0].type === 'directory' && !items[0].path.includes(':') ? items[0].path : null;
    };
    const checkoutAt = (path: string | null) => (path === null ? undefined : listing()?.checkouts.find(checkout => checkout.path === path));
    /** A checkout of a HubShare project (a folder cloned from a URL is not one until it is published). */
    const isProjectCheckout = (path: string | null) => checkoutAt(path)?.source === 'project';
    // A path argument, even '' (a checkout at the server's root), wins over the selection.
    const folderArg = (args: { path?: unknown }) => (typeof args.path === 'string' ? args.path : selectedFolder());

    app.commands.addCommand(CommandIDs.publish, {
      label: args => (args.isContextMenu ? trans.__('Publish as Project…') : trans.__('Publish a folder as a project…')),
      caption: trans.__('Share a folder of notebooks, data and code with other users, with versions'),
      isEnabled: () => connected(),
      isVisible: args => !args.isContextMenu || (selectedFolder() !== null && !isProjectCheckout(selectedFolder())),
      execute: async args => {
        const path = folderArg(args) ?? '';
        const body = new PublishBody({ path, name: suggestProjectName(path), visibility: defaultVisibility, shareWith: '' }, trans);
        const answer = await showDialog({
          title: trans.__('Publish as a project'),
          body,
          buttons: [Dialog.cancelButton(), Dialog.okButton({ label: trans.__('Publish') })],
          focusNodeSelector: '#jp-HubShare-publishName'
        });
        if (!answer.button.accept) {
          return;
        }
        const value = body.getValue();
        await withNotification(connection, trans.__('Publishing %1…', value.path), async () => {
          const project = await post<{ owner: string; name: string }>('api/checkouts/publish', { path: value.path, name: value.name, visibility: value.visibility });
          const people = value.shareWith.split(/[\s,]+/).filter(Boolean);
          const full = `${project.owner}/${project.name}`;
          const refused: string[] = [];
          for (const person of people) {
            await sharingApi.grant(full, 'users', person, 'read').catch((error: Error) => refused.push(`${person} (${error.message})`));
          }
          if (refused.length > 0) {
            throw new Error(trans.__('Published %1, but could not share it with: %2', full, refused.join('; ')));
          }
          return people.length > 0 ? trans.__('Published %1 and shared it with %2.', full, people.join(', ')) : trans.__('Published %1.', full);
        });
      }
    });

    app.commands.addCommand(CommandIDs.checkOut, {
      label: trans.__('Check out a project…'),
      caption: trans.__('Get your own copy of a project in a folder, to edit, push and pull'),
      isEnabled: () => connected(),
      execute: async args => {
        const lists = listing();
        // What the panel has read: its lists, and the filter's results (a row's Check out… can come from those).
        const read = lists
          ? [...lists.sharedWithMe, ...lists.mine, ...(lists.progress.sharedWithMe.matching?.projects ?? []), ...(lists.progress.mine.matching?.projects ?? [])]
          : [];
        const projects = [...new Map(read.map(project => [`${project.owner}/${project.name}`, project])).values()];
        if (projects.length === 0) {
          await showDialog({ title: trans.__('Nothing to check out'), body: trans.__('No project is shared with you yet.'), buttons: [Dialog.okButton()] });
          return;
        }
        const project = stringArg(args.project) ?? `${projects[0].owner}/${projects[0].name}`;
        const body = new CheckoutBody({ project, path: project.split('/')[1] ?? '' }, projects, trans);
        const answer = await showDialog({
          title: trans.__('Check out a project'),
          body,
          buttons: [Dialog.cancelButton(), Dialog.okButton({ label: trans.__('Check out') })]
        });
        if (!answer.button.accept) {
          return;
        }
        const value = body.getValue();
        await withNotification(connection, trans.__('Checking out %1…', value.project), async () => {
          const { path } = await post<{ path: string }>('api/checkouts/checkout', value);
          return trans.__('Checked out %1 into %2.', value.project, path);
        });
      }
    });

    app.commands.addCommand(CommandIDs.cloneFromUrl, {
      label: trans.__('Clone a project from a URL…'),
      caption: trans.__('Copy a git repository from the internet into a folder'),
      isEnabled: () => connected(),
      execute: async () => {
        const body = new CloneBody({ url: '', path: '' }, trans);
        const answer = await showDialog({
          title: trans.__('Clone from a URL'),
          body,
          buttons: [Dialog.cancelButton(), Dialog.okButton({ label: trans.__('Clone') })],
          focusNodeSelector: '#jp-HubShare-cloneUrl'
        });
        if (!answer.button.accept) {
          return;
        }
        const value = body.getValue();
        await withNotification(connection, trans.__('Cloning %1…', value.url), async () => {
          const { path } = await post<{ path: string }>('api/checkouts/clone', value);
          return trans.__('Cloned into %1.', path);
        });
      }
    });

    app.commands.addCommand(CommandIDs.share, {
      label: args => (args.isContextMenu ? trans.__('Share Project…') : trans.__('Share a project…')),
      caption: trans.__('Choose who can read, push to or manage a project'),
      isEnabled: args => connected() && (stringArg(args.project) !== null || isProjectCheckout(folderArg(args))),
      isVisible: args => !args.isContextMenu || isProjectCheckout(selectedFolder()),
      execute: async args => {
        let project = stringArg(args.project);
        if (!project) {
          const folder = folderArg(args);
          const status = folder !== null ? await requestAPI<{ project: string }>(`api/checkouts/status?path=${encodeURIComponent(folder)}`).catch(() => null) : null;
          project = hubShareProject(status?.project);
        }
        if (!project) {
          await showDialog({
            title: trans.__('Not a HubShare project'),
            body: trans.__('This folder was cloned from the internet: publish a copy of it to share it.'),
            buttons: [Dialog.okButton()]
          });
          return;
        }
        await openShareDialog(project, trans);
      }
    });

    app.commands.addCommand(CommandIDs.manageTeams, {
      label: trans.__('Manage teams…'),
      caption: trans.__('Create teams and add or remove their members'),
      isEnabled: () => connected(),
      execute: async () => {
        const model = new TeamsModel(userName(), undefined, connection.state.kind === 'connected' && connection.state.status.service.user?.admin === true);
        void model.load();
        await showDialog({
          title: trans.__('Teams'),
          body: teamsDialogBody(model, trans),
          buttons: [Dialog.okButton({ label: trans.__('Done') })]
        });
        await connection.refresh();
      }
    });

    for (const command of [CommandIDs.publish, CommandIDs.checkOut, CommandIDs.cloneFromUrl, CommandIDs.share, CommandIDs.manageTeams]) {
      palette?.addItem({ command, category: PALETTE_CATEGORY });
    }
    app.contextMenu.addItem({ command: CommandIDs.publish, selector: '.jp-DirListing-item[data-isdir="true"]', rank: 60, args: { isContextMenu: true } });
    app.contextMenu.addItem({ command: CommandIDs.share, selector: '.jp-DirListing-item[data-isdir="true"]', rank: 61, args: { isContextMenu: true } });
  }
};

/** The Share dialog of one project. */
async function openShareDialog(project: string, trans: TranslationBundle): Promise<void> {
  const model = new ShareModel(project);
  void model.load();
  await showDialog({
    title: trans.__('Share %1', project),
    body: shareDialogBody(model, trans),
    buttons: [Dialog.okButton({ label: trans.__('Done') })]
  });
}
