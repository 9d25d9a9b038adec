import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { CommandIDs, PALETTE_CATEGORY } from '../command-ids';
import { ConflictPickerWidget } from '../components/conflict-picker';
import { projectsIcon } from '../icons';
import { type ConflictApi, conflictApi, ConflictPickerModel } from '../model/conflict-picker-model';
import { checkoutHolding } from '../model/conflicted-files';
import type { ConnectionModel } from '../model/connection-model';
import { IProjectsModel } from '../tokens';

/**
 * Wires the conflict picker: the "Resolve conflicts" command (palette, the panel's Resolve button,
 * and a pull that stops at conflicts) opens one picker per checkout in the main area.
 */
export const conflictPickerPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-hubshare:conflict-picker',
  description: 'Pick mine or theirs for each file a pull stopped at, then finish or cancel the pull.',
  autoStart: true,
  requires: [IProjectsModel],
  optional: [ICommandPalette, IDefaultFileBrowser, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    projects: ConnectionModel,
    palette: ICommandPalette | null,
    fileBrowser: IDefaultFileBrowser | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_hubshare');
    const pickers = new Map<string, ConflictPickerWidget>();
    // The agent allows one operation per checkout: the picker's calls take turns with the
    // panel's background status reads instead of being refused.
    const api: ConflictApi = {
      ...conflictApi,
      status: checkout => projects.operate(checkout, () => conflictApi.status(checkout)),
      resolve: (checkout, files, side) => projects.operate(checkout, () => conflictApi.resolve(checkout, files, side)),
      continue: checkout => projects.operate(checkout, () => conflictApi.continue(checkout)),
      abort: checkout => projects.operate(checkout, () => conflictApi.abort(checkout))
    };

    // The current checkout: the one holding the file browser's folder; else the only conflicted one.
    const currentCheckout = (): string | null => {
      const folder = fileBrowser?.model.path;
      const holding = folder === undefined || folder.includes(':') ? undefined : checkoutHolding(projects.checkouts, folder);
      if (holding) {
        return holding.path;
      }
      const conflicted = projects.checkouts.filter(checkout => checkout.conflicted);
      return conflicted.length === 1 ? conflicted[0].path : null;
    };
    const checkoutOf = (args: { path?: unknown }) => (typeof args.path === 'string' ? args.path : currentCheckout());

    const open = (checkout: string) => {
      const existing = pickers.get(checkout);
      if (existing && !existing.isDisposed) {
        app.shell.activateById(existing.id);
        void existing.model.load();
        return;
      }
      const name = checkout || trans.__('(the root folder)');
      const close = (message: string) => {
        Notification.success(message, { autoClose: 5000 });
        widget.close();
      };
      const widget = new ConflictPickerWidget(new ConflictPickerModel(checkout, api), trans, {
        onFinished: () => close(trans.__('Pulled %1 with the versions you picked.', name)),
        onCancelled: () => close(trans.__('Cancelled the pull of %1: your files are as they were.', name))
      });
      widget.id = `jp-hubshare-conflicts-${checkout.replace(/[^\w-]+/g, '-') || 'root'}`;
      widget.title.label = trans.__('Conflicts: %1', name);
      widget.title.caption = trans.__('Pick mine or theirs for the files a pull of %1 stopped at', name);
      widget.title.icon = projectsIcon;
      widget.title.closable = true;
      widget.disposed.connect(() => pickers.delete(checkout));
      pickers.set(checkout, widget);
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
      void widget.model.load();
    };

    app.commands.addCommand(CommandIDs.resolveConflicts, {
      label: trans.__('Resolve conflicts'),
      caption: trans.__('Pick mine or theirs for each file a pull stopped at, in the current checkout'),
      isEnabled: args => {
        const checkout = checkoutOf(args);
        return checkout !== null && projects.checkouts.some(candidate => candidate.path === checkout && candidate.conflicted);
      },
      execute: args => {
        const checkout = checkoutOf(args);
        if (checkout !== null) {
          open(checkout);
        }
      }
    });
    palette?.addItem({ command: CommandIDs.resolveConflicts, category: PALETTE_CATEGORY });

    projects.stateChanged.connect(() => {
      app.commands.notifyCommandChanged(CommandIDs.resolveConflicts);
      // A file picked from the file browser, or the pull ended elsewhere: re-read open pickers.
      for (const [checkout, widget] of pickers) {
        const waiting = projects.statusOf(checkout)?.conflicts.map(conflict => conflict.path) ?? [];
        const shown = widget.model.state.files.map(file => file.path);
        if (widget.model.isOpen && waiting.join('\0') !== shown.join('\0')) {
          void widget.model.load();
        }
      }
    });
    fileBrowser?.model.pathChanged.connect(() => app.commands.notifyCommandChanged(CommandIDs.resolveConflicts));
  }
};
