import { ILabShell, type JupyterFrontEnd, type JupyterFrontEndPlugin } from '@jupyterlab/application';
import { Dialog, ICommandPalette, MainAreaWidget, Notification, showDialog, showErrorMessage, ToolbarButton } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import type { DocumentRegistry, IDocumentWidget } from '@jupyterlab/docregistry';
import { refreshIcon } from '@jupyterlab/ui-components';
import { DisposableDelegate } from '@lumino/disposable';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { ITranslator, nullTranslator, type TranslationBundle } from '@jupyterlab/translation';
import { CommandIDs } from '../command-ids';
import { ProjectHistoryWidget } from '../components/project-history';
import { sharedIcon } from '../icons';
import { ProjectHistoryModel } from '../model/project-history';
import { SHARED_DRIVE_NAME, SharedDrive } from '../model/shared-drive';
import { hubShareProject } from '../model/agent-status';
import { HubShareRequestError, sendJSON } from '../request';

const BROWSER_ID = 'jp-hubshare-shared-browser';
/** Marks a document opened from the read-only drive (Ctrl+S there offers a checkout). */
const READ_ONLY_DOCUMENT_CLASS = 'jp-HubShare-readOnlyDocument';
/** The document kinds that get a "Check out to edit" button when they come from the drive. */
const DOCUMENT_FACTORIES = ['Notebook', 'Editor', 'CSVTable', 'TSVTable', 'Image', 'Markdown Preview'];

/**
 * Copies a project into a new folder of the user's (its name, or name-2, name-3… if taken) and
 * returns that folder. @throws HubShareRequestError for anything but a taken name.
 */
async function checkOutToNewFolder(project: string): Promise<string> {
  const name = project.split('/')[1];
  for (let attempt = 1; ; attempt++) {
    const path = attempt === 1 ? name : `${name}-${attempt}`;
    try {
      await sendJSON('api/checkouts/checkout', 'POST', { project, path });
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
 * ("Shared files"), and the commands to browse a project and see its history.
 */
export const drivePlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-hubshare:drive',
  description: 'Shared projects as a read-only drive, their history, and what changed.',
  autoStart: true,
  requires: [ILabShell, IFileBrowserFactory, IDocumentManager],
  optional: [ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    labShell: ILabShell,
    factory: IFileBrowserFactory,
    documents: IDocumentManager,
    _palette: ICommandPalette | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_hubshare');
    const drive = new SharedDrive(undefined, path => offerCheckout(app, trans, path));
    app.serviceManager.contents.addDrive(drive);

    const browser = factory.createFileBrowser(BROWSER_ID, { driveName: SHARED_DRIVE_NAME, refreshInterval: 5 * 60 * 1000 });
    browser.title.icon = sharedIcon;
    browser.title.caption = trans.__('Shared files (read-only)');
    browser.node.setAttribute('aria-label', trans.__('Shared files, read-only'));
    browser.showLastModifiedColumn = true;
    browser.toolbar.addItem(
      'refresh',
      new ToolbarButton({
        icon: refreshIcon,
        tooltip: trans.__('Refresh: show the latest pushes'),
        onClick: () => void browser.model.refresh()
      })
    );
    labShell.add(browser, 'left', { rank: 660, type: 'HubShare Shared projects' });
    // A project the user can no longer read (unshared, removed from its team, deleted) says so in
    // the service's words, and the browser goes back to the projects they can still read.
    // (The model's path is still the one shown when the failure was opening another folder.)
    browser.model.connectionFailure.connect((model, error) => {
      if (error instanceof HubShareRequestError && (error.status === 403 || error.status === 404)) {
        void showErrorMessage(trans.__('This shared folder cannot be opened'), error.message);
        if (model.path !== `${SHARED_DRIVE_NAME}:`) {
          void model.cd('/');
        }
      }
    });

    // The path of the drive document the command is about: its argument, or the current document.
    const drivePathOf = (args: { path?: unknown }): string | null => {
      const current = labShell.currentWidget;
      const path = typeof args.path === 'string' ? args.path : current ? (documents.contextForWidget(current)?.path ?? null) : null;
      return path?.startsWith(`${SHARED_DRIVE_NAME}:`) ? path.slice(SHARED_DRIVE_NAME.length + 1) : null;
    };
    app.commands.addCommand(CommandIDs.checkOutToEdit, {
      label: trans.__('Check out to edit'),
      caption: trans.__('Copy this shared project into a folder of yours, where you can edit, push and pull'),
      isEnabled: args => drivePathOf(args) !== null,
      execute: async args => {
        const path = drivePathOf(args);
        if (path) {
          await offerCheckout(app, trans, path);
        }
      }
    });
    // Saving a shared document explains why it cannot be saved, instead of doing nothing.
    app.commands.addKeyBinding({ command: CommandIDs.checkOutToEdit, keys: ['Accel S'], selector: `.${READ_ONLY_DOCUMENT_CLASS}` });
    const extension: DocumentRegistry.IWidgetExtension<IDocumentWidget, DocumentRegistry.IModel> = {
      createNew: (widget, context) => {
        if (!context.path.startsWith(`${SHARED_DRIVE_NAME}:`)) {
          return new DisposableDelegate(() => {});
        }
        widget.addClass(READ_ONLY_DOCUMENT_CLASS);
        // Looking starts nothing: no kernel for someone else's notebook until the user picks one.
        context.sessionContext.kernelPreference = { ...context.sessionContext.kernelPreference, shouldStart: false, autoStartDefault: false };
        const button = new ToolbarButton({
          label: trans.__('Check out to edit'),
          tooltip: trans.__('This shared project is read-only here: copy it into a folder of yours to edit it'),
          onClick: () => void offerCheckout(app, trans, context.path.slice(SHARED_DRIVE_NAME.length + 1))
        });
        widget.toolbar.insertItem(0, 'hubshare-check-out-to-edit', button);
        return new DisposableDelegate(() => button.dispose());
      }
    };
    for (const factoryName of DOCUMENT_FACTORIES) {
      app.docRegistry.addWidgetExtension(factoryName, extension);
    }

    app.commands.addCommand(CommandIDs.browseProject, {
      label: args => (hubShareProject(args.project) ? trans.__('Browse %1 (read-only)', hubShareProject(args.project) ?? '') : trans.__('Browse a shared project')),
      caption: trans.__('Look at the files of the latest push, without checking out'),
      isEnabled: args => hubShareProject(args.project) !== null,
      execute: async args => {
        const project = hubShareProject(args.project);
        if (project) {
          labShell.activateById(browser.id);
          await browser.model.cd(`/${project}`);
        }
      }
    });
    app.commands.addCommand(CommandIDs.showHistory, {
      label: args => (hubShareProject(args.project) ? trans.__('History of %1', hubShareProject(args.project) ?? '') : trans.__('Show project history')),
      caption: trans.__('Who pushed what and when, and what changed'),
      isEnabled: args => hubShareProject(args.project) !== null,
      execute: args => {
        const project = hubShareProject(args.project);
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
