import { ILabShell, type JupyterFrontEnd, type JupyterFrontEndPlugin } from '@jupyterlab/application';
import { Dialog, ICommandPalette, MainAreaWidget, Notification, showDialog } from '@jupyterlab/apputils';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { ITranslator, nullTranslator, type TranslationBundle } from '@jupyterlab/translation';
import { CommandIDs } from '../command-ids';
import { ProjectHistoryWidget } from '../components/project-history';
import { sharedIcon } from '../icons';
import { ProjectHistoryModel } from '../model/project-history';
import { SHARED_DRIVE_NAME, SharedDrive } from '../model/shared-drive';
import { HubShareRequestError, requestAPI } from '../request';

const BROWSER_ID = 'jp-hubshare-shared-browser';

/** `owner/name` from a command's arguments, or null. */
function projectArg(args: { project?: unknown }): string | null {
  return typeof args.project === 'string' && /^[^/]+\/[^/]+$/.test(args.project) ? args.project : null;
}

/**
 * Copies a project into a new folder of the user's (its name, or name-2, name-3… if taken) and
 * returns that folder. @throws HubShareRequestError for anything but a taken name.
 */
async function checkOutToNewFolder(project: string): Promise<string> {
  const name = project.split('/')[1];
  for (let attempt = 1; ; attempt++) {
    const path = attempt === 1 ? name : `${name}-${attempt}`;
    try {
      await requestAPI('api/checkouts/checkout', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ project, path })
      });
      return path;
    } catch (error) {
      if (!(error instanceof HubShareRequestError && error.code === 'folder_not_empty') || attempt >= 20) {
        throw error;
      }
    }
  }
}

/** Offers a checkout when a document of the read-only drive is saved, then opens the copy. */
async function offerCheckout(app: JupyterFrontEnd, trans: TranslationBundle, drivePath: string): Promise<void> {
  const parts = drivePath.split('/').filter(Boolean);
  const project = `${parts[0]}/${parts[1]}`;
  const answer = await showDialog({
    title: trans.__('This project is read-only here'),
    body: trans.__(
      '%1 is shared with you to look at: changes cannot be saved here. Check it out to get your own copy in a folder you can edit, push and pull.',
      project
    ),
    buttons: [Dialog.cancelButton({ label: trans.__('Keep looking') }), Dialog.okButton({ label: trans.__('Check out to edit') })]
  });
  if (!answer.button.accept) {
    return;
  }
  const id = Notification.emit(trans.__('Checking out %1…', project), 'in-progress', { autoClose: false });
  try {
    const folder = await checkOutToNewFolder(project);
    Notification.update({ id, message: trans.__('Checked out %1 into %2. Your edits go there.', project, folder), type: 'success', autoClose: 5000 });
    const inside = parts.slice(2).join('/');
    await app.commands.execute('docmanager:open', { path: inside ? `${folder}/${inside}` : folder });
  } catch (error) {
    Notification.update({ id, message: error instanceof Error ? error.message : String(error), type: 'error', autoClose: false });
  }
}

/**
 * Looking without pulling: the read-only `HubShare:` drive with a file browser of its own
 * ("Shared projects"), and the commands to browse a project and see its history.
 */
export const drivePlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-hubshare:drive',
  description: 'Shared projects as a read-only drive, their history, and what changed.',
  autoStart: true,
  requires: [ILabShell, IFileBrowserFactory],
  optional: [ICommandPalette, ITranslator],
  activate: (app: JupyterFrontEnd, labShell: ILabShell, factory: IFileBrowserFactory, _palette: ICommandPalette | null, translator: ITranslator | null) => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_hubshare');
    const drive = new SharedDrive(undefined, path => offerCheckout(app, trans, path));
    app.serviceManager.contents.addDrive(drive);

    const browser = factory.createFileBrowser(BROWSER_ID, { driveName: SHARED_DRIVE_NAME, refreshInterval: 5 * 60 * 1000 });
    browser.title.icon = sharedIcon;
    browser.title.caption = trans.__('Shared projects (read-only)');
    browser.node.setAttribute('aria-label', trans.__('Shared projects, read-only'));
    browser.showLastModifiedColumn = true;
    labShell.add(browser, 'left', { rank: 660, type: 'HubShare Shared projects' });

    app.commands.addCommand(CommandIDs.browseProject, {
      label: args => (projectArg(args) ? trans.__('Browse %1 (read-only)', projectArg(args) ?? '') : trans.__('Browse a shared project')),
      caption: trans.__('Look at the files of the latest push, without checking out'),
      isEnabled: args => projectArg(args) !== null,
      execute: async args => {
        const project = projectArg(args);
        if (project) {
          labShell.activateById(browser.id);
          await browser.model.cd(`/${project}`);
        }
      }
    });
    app.commands.addCommand(CommandIDs.showHistory, {
      label: args => (projectArg(args) ? trans.__('History of %1', projectArg(args) ?? '') : trans.__('Show project history')),
      caption: trans.__('Who pushed what and when, and what changed'),
      isEnabled: args => projectArg(args) !== null,
      execute: args => {
        const project = projectArg(args);
        if (!project) {
          return;
        }
        const model = new ProjectHistoryModel(project);
        const widget = new MainAreaWidget({ content: new ProjectHistoryWidget(model, trans) });
        widget.id = `jp-hubshare-history-${project.replace('/', '--')}`;
        widget.title.label = trans.__('History: %1', project);
        widget.title.icon = sharedIcon;
        widget.title.closable = true;
        app.shell.add(widget, 'main');
        void model.load();
      }
    });
  }
};
