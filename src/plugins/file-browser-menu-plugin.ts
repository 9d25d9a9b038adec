import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { CommandIDs } from '../command-ids';
import { conflictApi, type Side } from '../model/conflict-picker-model';
import { conflictAt } from '../model/conflicted-files';
import type { ConnectionModel } from '../model/connection-model';
import { IProjectsModel } from '../tokens';

/** "Keep mine" and "Keep theirs" in the file browser's menu, on a file a pull stopped at. */
export const fileBrowserMenuPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-hubshare:file-browser-menu',
  description: 'Pick mine or theirs for a conflicted file from the file browser.',
  autoStart: true,
  requires: [IProjectsModel, IFileBrowserFactory],
  optional: [ITranslator],
  activate: (app: JupyterFrontEnd, projects: ConnectionModel, browsers: IFileBrowserFactory, translator: ITranslator | null) => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_hubshare');

    // The one selected file in the file browser, when it waits for a pick.
    const selectedConflict = () => {
      const selected = Array.from(browsers.tracker.currentWidget?.selectedItems() ?? []);
      if (selected.length !== 1 || selected[0].type === 'directory' || selected[0].path.includes(':')) {
        return null;
      }
      return conflictAt(projects.checkouts, path => projects.statusOf(path), selected[0].path);
    };

    const keep = async (side: Side) => {
      const conflict = selectedConflict();
      if (!conflict) {
        return;
      }
      try {
        const left = await projects.operate(conflict.checkout, () => conflictApi.resolve(conflict.checkout, [conflict.file], side));
        const kept = side === 'mine' ? trans.__('Kept your version of %1.', conflict.file) : trans.__('Took their version of %1.', conflict.file);
        Notification.success(
          left.length > 0
            ? `${kept} ${trans.__('%1 more files wait for a pick: open Resolve conflicts to pick them and finish the pull.', left.length)}`
            : `${kept} ${trans.__('Every file is picked: open Resolve conflicts and press Finish to complete the pull.')}`,
          { autoClose: 8000 }
        );
      } catch (error) {
        Notification.error(error instanceof Error ? error.message : String(error), { autoClose: false });
      }
    };

    const commands: [string, Side, string][] = [
      [CommandIDs.keepMine, 'mine', trans.__('Keep mine')],
      [CommandIDs.keepTheirs, 'theirs', trans.__('Keep theirs')]
    ];
    for (const [id, side, label] of commands) {
      app.commands.addCommand(id, {
        label,
        caption: side === 'mine' ? trans.__('Keep your version of this file in the pull') : trans.__('Take their version of this file in the pull'),
        isVisible: () => selectedConflict() !== null,
        execute: () => keep(side)
      });
      app.contextMenu.addItem({ command: id, selector: '.jp-DirListing-item[data-isdir="false"]', rank: side === 'mine' ? 60 : 61 });
    }
  }
};
