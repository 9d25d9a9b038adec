import { type ISignal, Signal } from '@lumino/signaling';
import { HubShareRequestError, requestAPI, requestBytes, sendJSON } from '../request';
import type { CheckoutStatus, ConflictedFile, ConflictKind } from './checkout-status';
import type { ConflictParts, Side } from './conflict-parts';
import { type FileKind, fileKindOf, type SideContent, sideContentOf } from './file-preview';

export type { Side } from './conflict-parts';

/** The agent calls the conflict picker makes; injected so the model can be tested without a server. */
export interface ConflictApi {
  status(checkout: string): Promise<CheckoutStatus>;
  /** One side's bytes; null when that side deleted the file. */
  version(checkout: string, file: string, side: Side): Promise<Uint8Array | null>;
  resolve(checkout: string, files: readonly string[], side: Side): Promise<ConflictedFile[]>;
  /** The parts (cells, hunks) a waiting file can be picked by. */
  parts(checkout: string, file: string): Promise<ConflictParts>;
  /** Picks a side for one part; the file is resolved once all its parts have one. */
  resolvePart(checkout: string, file: string, part: string, side: Side): Promise<ConflictedFile[]>;
  continue(checkout: string): Promise<void>;
  abort(checkout: string): Promise<void>;
}

const post = <T>(endPoint: string, body: unknown) => sendJSON<T>(endPoint, 'POST', body);

/** How often, and how far apart, a read is tried again while the checkout is busy. */
const BUSY_TRIES = 10;
const BUSY_PAUSE_MS = 200;

/**
 * Runs a read of the checkout, again a moment later while the agent answers `checkout_busy`:
 * another operation holds the checkout for a moment (the panel's own status read right after the
 * pull, say), and the picker would otherwise show the file whole instead of its parts.
 */
export async function whileBusy<T>(read: () => Promise<T>, pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof HubShareRequestError && error.code === 'checkout_busy') || attempt >= BUSY_TRIES) {
        throw error;
      }
      await pause(BUSY_PAUSE_MS);
    }
  }
}

export const conflictApi: ConflictApi = {
  status: checkout => requestAPI<CheckoutStatus>(`api/checkouts/status?path=${encodeURIComponent(checkout)}`),
  version: async (checkout, file, side) => {
    try {
      return await whileBusy(() => requestBytes(`api/checkouts/${side}?path=${encodeURIComponent(checkout)}&file=${encodeURIComponent(file)}`));
    } catch (error) {
      if (error instanceof HubShareRequestError && (error.code === 'deleted_by_me' || error.code === 'deleted_by_them')) {
        return null;
      }
      throw error;
    }
  },
  resolve: async (checkout, files, side) => (await post<{ conflicts: ConflictedFile[] }>('api/checkouts/resolve', { path: checkout, files, side })).conflicts,
  parts: (checkout, file) => whileBusy(() => requestAPI<ConflictParts>(`api/checkouts/parts?path=${encodeURIComponent(checkout)}&file=${encodeURIComponent(file)}`)),
  resolvePart: async (checkout, file, part, side) =>
    (await post<{ conflicts: ConflictedFile[] }>('api/checkouts/resolve-part', { path: checkout, file, part, side })).conflicts,
  continue: async checkout => {
    await post('api/checkouts/continue', { path: checkout });
  },
  abort: async checkout => {
    await post('api/checkouts/abort', { path: checkout });
  }
};

/**
 * A conflicted file in the picker, and the side the user picked for it (none yet: null) — or,
 * instead, a side for each of its parts (the cells or hunks both sides changed).
 */
export interface PickerFile {
  path: string;
  conflict: ConflictKind;
  kind: FileKind;
  pick: Side | null;
  /** The keys of its parts, once read; null before, or when it can only be picked whole. */
  partKeys: readonly string[] | null;
  /** A side per part key, where picked. */
  partPicks: Readonly<Record<string, Side>>;
}

/** Whether a file is settled: picked whole, or every one of its parts picked. */
export function isPicked(file: PickerFile): boolean {
  return file.pick !== null || (file.partKeys !== null && file.partKeys.length > 0 && file.partKeys.every(key => key in file.partPicks));
}

/** Both sides of a file, ready to show side by side. */
export interface FilePreview {
  mine: SideContent;
  theirs: SideContent;
}

/**
 * Where the picker is: reading the conflicts, waiting for picks, applying them (finishing) or
 * cancelling the pull, or done one way or the other.
 */
export type PickerPhase = 'loading' | 'picking' | 'finishing' | 'cancelling' | 'finished' | 'cancelled' | 'no-pull';

export interface PickerState {
  phase: PickerPhase;
  files: readonly PickerFile[];
  /** The last failure, in words for the user, with what to do next. */
  problem: string | null;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The conflict picker of one checkout: which files a pull stopped at, the side picked for each,
 * and the actions that end the pull (finish with the picks, or cancel it). Picks stay here until
 * Finish, so the user can change their mind; Finish applies them all, then completes the pull.
 */
export class ConflictPickerModel {
  private _state: PickerState = { phase: 'loading', files: [], problem: null };
  private readonly _changed = new Signal<this, PickerState>(this);
  private readonly previews = new Map<string, Promise<FilePreview>>();
  private readonly partsRead = new Map<string, Promise<ConflictParts>>();

  constructor(
    /** The checkout's folder, relative to Jupyter's root. */
    readonly checkout: string,
    private readonly api: ConflictApi = conflictApi
  ) {}

  get state(): PickerState {
    return this._state;
  }

  get changed(): ISignal<this, PickerState> {
    return this._changed;
  }

  /** Every file has a pick and nothing is running: Finish may start. */
  get canFinish(): boolean {
    return this._state.phase === 'picking' && this._state.files.length > 0 && this._state.files.every(isPicked);
  }

  /** Whether the pull can still be finished or cancelled from here. */
  get isOpen(): boolean {
    return this._state.phase === 'picking';
  }

  /** Reads the conflicted files again; picks already made for files still conflicted are kept. */
  async load(): Promise<void> {
    const before = new Map(this._state.files.map(file => [file.path, file]));
    this.update({ phase: 'loading', problem: null });
    try {
      const status = await this.api.status(this.checkout);
      if (status.state !== 'conflicted') {
        this.update({ phase: 'no-pull', files: [] });
        return;
      }
      this.update({
        phase: 'picking',
        files: status.conflicts.map(conflict => ({
          path: conflict.path,
          conflict: conflict.kind,
          kind: fileKindOf(conflict.path),
          pick: before.get(conflict.path)?.pick ?? null,
          partKeys: before.get(conflict.path)?.partKeys ?? null,
          partPicks: before.get(conflict.path)?.partPicks ?? {}
        }))
      });
    } catch (error) {
      this.update({ phase: 'picking', problem: messageOf(error) });
    }
  }

  /** Picks a side for one file as a whole (replacing any picks of its parts). */
  pick(path: string, side: Side): void {
    if (this.isOpen) {
      this.updateFile(path, file => ({ ...file, pick: side, partPicks: {} }));
    }
  }

  /**
   * Picks a side for one part of a file. A whole-file pick made before becomes the pick of each
   * of its other parts, so changing one part keeps what the rest showed.
   */
  pickPart(path: string, key: string, side: Side): void {
    if (this.isOpen) {
      this.updateFile(path, file => {
        const whole = file.pick;
        const earlier = whole === null ? file.partPicks : Object.fromEntries((file.partKeys ?? []).map(part => [part, whole]));
        return { ...file, pick: null, partPicks: { ...earlier, [key]: side } };
      });
    }
  }

  /** Picks the same side for every file. */
  pickAll(side: Side): void {
    if (this.isOpen) {
      this.update({ files: this._state.files.map(file => ({ ...file, pick: side, partPicks: {} })) });
    }
  }

  /**
   * The parts of a file both sides changed (cells, hunks), read once; the file learns their keys
   * (and picks made from the CLI, where it has none of its own).
   */
  parts(path: string): Promise<ConflictParts> {
    let parts = this.partsRead.get(path);
    if (!parts) {
      const conflict = this._state.files.find(file => file.path === path)?.conflict;
      parts =
        conflict === 'both-changed'
          ? this.api.parts(this.checkout, path)
          : Promise.resolve<ConflictParts>({ kind: 'whole', reason: 'only one side has it' });
      parts.then(
        found => {
          if (found.kind !== 'whole') {
            const stored = Object.fromEntries(found.parts.flatMap(part => (part.pick ? [[part.key, part.pick] as const] : [])));
            this.updateFile(path, file => ({ ...file, partKeys: found.parts.map(part => part.key), partPicks: file.pick === null && Object.keys(file.partPicks).length === 0 ? stored : file.partPicks }));
          }
        },
        () => this.partsRead.delete(path)
      );
      this.partsRead.set(path, parts);
    }
    return parts;
  }

  /** Both sides of a file, read once. */
  preview(path: string): Promise<FilePreview> {
    let preview = this.previews.get(path);
    if (!preview) {
      const side = async (which: Side) => sideContentOf(path, await this.api.version(this.checkout, path, which));
      preview = Promise.all([side('mine'), side('theirs')]).then(([mine, theirs]) => ({ mine, theirs }));
      // A failed read may work later (the agent restarted): do not keep the failure.
      preview.catch(() => this.previews.delete(path));
      this.previews.set(path, preview);
    }
    return preview;
  }

  /**
   * Applies every pick (one resolve per side) to the files still waiting for one (a file may
   * have been picked meanwhile, from the file browser, or by an earlier Finish that failed
   * half-way), then completes the pull.
   * @returns whether the pull is finished; on failure the problem says what to do.
   */
  async finish(): Promise<boolean> {
    if (!this.canFinish) {
      return false;
    }
    const files = this._state.files;
    this.update({ phase: 'finishing', problem: null });
    try {
      const waiting = new Set((await this.api.status(this.checkout)).conflicts.map(conflict => conflict.path));
      for (const side of ['mine', 'theirs'] as const) {
        const picked = files.filter(file => file.pick === side && waiting.has(file.path)).map(file => file.path);
        if (picked.length > 0) {
          await this.api.resolve(this.checkout, picked, side);
        }
      }
      for (const file of files.filter(candidate => candidate.pick === null && waiting.has(candidate.path))) {
        for (const [key, side] of Object.entries(file.partPicks)) {
          await this.api.resolvePart(this.checkout, file.path, key, side);
        }
      }
      await this.api.continue(this.checkout);
      this.update({ phase: 'finished' });
      return true;
    } catch (error) {
      this.update({
        phase: 'picking',
        problem: `${messageOf(error)} Your picks are kept: try Finish again, or Cancel pull to get back what you had.`
      });
      return false;
    }
  }

  /**
   * Cancels the pull: every file is back as it was before it, my changes included.
   * @returns whether the pull was cancelled.
   */
  async cancel(): Promise<boolean> {
    if (!this.isOpen) {
      return false;
    }
    this.update({ phase: 'cancelling', problem: null });
    try {
      await this.api.abort(this.checkout);
      this.update({ phase: 'cancelled' });
      return true;
    } catch (error) {
      this.update({ phase: 'picking', problem: `${messageOf(error)} Nothing was changed; try again.` });
      return false;
    }
  }

  dispose(): void {
    Signal.clearData(this);
  }

  private updateFile(path: string, change: (file: PickerFile) => PickerFile): void {
    this.update({ files: this._state.files.map(file => (file.path === path ? change(file) : file)) });
  }

  private update(change: Partial<PickerState>): void {
    this._state = { ...this._state, ...change };
    this._changed.emit(this._state);
  }
}
