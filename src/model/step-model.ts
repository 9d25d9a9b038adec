import { type ISignal, Signal } from '@lumino/signaling';

/**
 * A model whose changes are steps against the server: one at a time shows as `busy`, a failure
 * is kept in words as `error`, and views re-render on `changed`.
 */
export abstract class StepModel {
  busy = false;
  error: string | null = null;
  private readonly changedSignal = new Signal<this, void>(this);

  get changed(): ISignal<this, void> {
    return this.changedSignal;
  }

  /** Tells views to re-render. */
  protected emitChanged(): void {
    this.changedSignal.emit();
  }

  /** Runs one step: busy while it runs, its error (if any) kept for the view. */
  protected async step(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    this.changedSignal.emit();
    try {
      await work();
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.busy = false;
      this.changedSignal.emit();
    }
  }
}
