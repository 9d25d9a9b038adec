import type { Writable } from 'node:stream';
import type { GitProcess, GitRunner } from './git-runner';

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

/** What `cat-file` says about an object. */
export interface ObjectInfo {
  id: string;
  type: ObjectType;
  size: number;
}

/** A full object id (SHA-1); the only thing, besides `<id>:<path>`, this module asks git about. */
export const OBJECT_ID = /^[0-9a-f]{40}$/;

/** Thrown when the cat-file process dies or answers something this module does not understand. */
export class ObjectReaderError extends Error {}

interface Request {
  command: 'info' | 'contents';
  /** Set once the header line of the answer has been read. */
  info?: ObjectInfo;
  /** Bytes of the answer's body (plus its final newline) still to come. */
  remaining: number;
  onInfo: (info: ObjectInfo | null) => void;
  onChunk: (chunk: Buffer) => void;
  onEnd: () => void;
  onError: (error: Error) => void;
}

const TYPES = new Set<string>(['blob', 'tree', 'commit', 'tag']);

/**
 * One long-lived `git cat-file --batch-command`. Requests are written as lines and answered in
 * order, so several may be in flight (pipelined); a streamed body pauses git's output while the
 * destination is full.
 */
class CatFileProcess {
  private buffered: Buffer = Buffer.alloc(0);
  private readonly queue: Request[] = [];
  private failure: Error | null = null;

  constructor(private readonly child: GitProcess) {
    child.stdout.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      this.drain();
    });
    const stderr: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on('error', () => {});
    child.on('error', error => this.fail(error));
    child.on('close', code =>
      this.fail(new ObjectReaderError(`git cat-file exited (${code}): ${Buffer.concat(stderr).toString('utf8').trim().slice(0, 300)}`))
    );
  }

  get alive(): boolean {
    return this.failure === null;
  }

  /** Size and type of an object, or null when the repository has no such object. */
  info(object: string): Promise<ObjectInfo | null> {
    return new Promise((resolve, reject) => {
      this.send('info', object, { onInfo: resolve, onChunk: () => {}, onEnd: () => {}, onError: reject });
    });
  }

  /** The whole object in memory, or null when there is no such object. */
  read(object: string): Promise<{ info: ObjectInfo; data: Buffer } | null> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let info: ObjectInfo | null = null;
      this.send('contents', object, {
        onInfo: found => {
          info = found;
          if (!found) {
            resolve(null);
          }
        },
        onChunk: chunk => chunks.push(chunk),
        onEnd: () => info && resolve({ info, data: Buffer.concat(chunks) }),
        onError: reject
      });
    });
  }

  /**
   * Streams an object's bytes into `destination` (after `onInfo` saw its header), pausing git
   * while the destination is full. If the destination closes early, the rest is read and dropped
   * so the process stays usable.
   */
  stream(object: string, destination: Writable, onInfo: (info: ObjectInfo | null) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      let abandoned = false;
      let failure: Error | null = null;
      const resume = () => this.child.stdout.resume();
      // Whatever happens to the destination, git's output flows again once this request is over,
      // so the next request on this process is answered.
      const settle = (error?: Error) => {
        destination.off('close', abandon);
        destination.off('drain', resume);
        resume();
        if (error) {
          reject(error);
        } else {
          resolve();
        }
      };
      const abandon = () => {
        abandoned = true;
        destination.off('drain', resume);
        resume();
      };
      if (destination.destroyed || destination.writableEnded) {
        abandon();
      } else {
        destination.once('close', abandon);
      }
      this.send('contents', object, {
        onInfo: info => {
          try {
            onInfo(info);
          } catch (error) {
            // The caller refused the object: nothing of it is written; the rest is read and dropped.
            abandoned = true;
            if (!info) {
              settle(error as Error);
            } else {
              failure = error as Error;
            }
            return;
          }
          if (!info) {
            settle();
          }
        },
        onChunk: chunk => {
          if (abandoned || destination.destroyed) {
            return;
          }
          if (!destination.write(chunk)) {
            this.child.stdout.pause();
            destination.once('drain', resume);
          }
        },
        onEnd: () => settle(failure ?? undefined),
        onError: error => settle(error)
      });
    });
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }

  private send(command: Request['command'], object: string, handlers: Omit<Request, 'command' | 'remaining'>): void {
    if (this.failure) {
      handlers.onError(this.failure);
      return;
    }
    if (/[\n\r\0]/.test(object)) {
      handlers.onError(new ObjectReaderError('object names are single lines'));
      return;
    }
    this.queue.push({ command, remaining: 0, ...handlers });
    this.child.stdin.write(`${command} ${object}\n`);
  }

  private drain(): void {
    while (this.queue.length > 0) {
      const request = this.queue[0];
      if (!request.info) {
        const end = this.buffered.indexOf(0x0a);
        if (end < 0) {
          return;
        }
        const line = this.buffered.subarray(0, end).toString('utf8');
        this.buffered = this.buffered.subarray(end + 1);
        const info = parseHeader(line);
        if (info === undefined) {
          this.fail(new ObjectReaderError(`git cat-file answered an unexpected line: ${line.slice(0, 100)}`));
          return;
        }
        if (info === null || request.command === 'info') {
          this.queue.shift();
          request.onInfo(info);
          continue;
        }
        request.info = info;
        request.remaining = info.size + 1;
        request.onInfo(info);
      }
      if (this.buffered.length === 0) {
        return;
      }
      const take = Math.min(request.remaining, this.buffered.length);
      const piece = this.buffered.subarray(0, take);
      this.buffered = this.buffered.subarray(take);
      request.remaining -= take;
      // The last byte of every body is cat-file's own newline, not the object's.
      const body = request.remaining === 0 ? piece.subarray(0, piece.length - 1) : piece;
      if (body.length > 0) {
        request.onChunk(body);
      }
      if (request.remaining === 0) {
        this.queue.shift();
        request.onEnd();
      }
    }
  }

  private fail(error: Error): void {
    if (this.failure) {
      return;
    }
    this.failure = error;
    for (const request of this.queue.splice(0)) {
      request.onError(error);
    }
  }
}

/** `<id> <type> <size>` → info; `<name> missing|ambiguous` → null; anything else → undefined. */
function parseHeader(line: string): ObjectInfo | null | undefined {
  if (line.endsWith(' missing') || line.endsWith(' ambiguous')) {
    return null;
  }
  const [id, type, size] = line.split(' ');
  if (!OBJECT_ID.test(id ?? '') || !TYPES.has(type ?? '') || !/^\d+$/.test(size ?? '')) {
    return undefined;
  }
  return { id, type: type as ObjectType, size: Number(size) };
}

/** What a reader lends out: one process of one repository, for the length of a callback. */
export interface ObjectSource {
  info(object: string): Promise<ObjectInfo | null>;
  read(object: string): Promise<{ info: ObjectInfo; data: Buffer } | null>;
  stream(object: string, destination: Writable, onInfo: (info: ObjectInfo | null) => void): Promise<void>;
}

export interface ObjectReaderLimits {
  /** Processes one repository may have at once. */
  perRepository: number;
  /** Processes all repositories may have at once. */
  total: number;
  /** An idle process is stopped after this long. */
  idleMs: number;
}

interface Slot {
  process: CatFileProcess;
  gitDir: string;
  busy: boolean;
  idleTimer?: NodeJS.Timeout;
}

/**
 * A bounded pool of long-lived `cat-file` processes, so that reading a tree or a file costs a
 * line on a pipe instead of a new git process. Each lease gets one process to itself; callers
 * that find every process busy wait their turn.
 */
export class ObjectReader {
  private readonly slots: Slot[] = [];
  private readonly waiting: { gitDir: string; wake: () => void }[] = [];
  private closed = false;

  constructor(
    private readonly git: GitRunner,
    private readonly limits: ObjectReaderLimits = { perRepository: 2, total: 16, idleMs: 30_000 }
  ) {}

  /** Runs `use` with a process of the repository at `gitDir`, returned to the pool afterwards. */
  async with<T>(gitDir: string, use: (source: ObjectSource) => Promise<T>): Promise<T> {
    const slot = await this.acquire(gitDir);
    try {
      return await use(slot.process);
    } finally {
      this.release(slot);
    }
  }

  /** Stops a repository's processes (before it is deleted or replaced). */
  forget(gitDir: string): void {
    for (const slot of this.slots.filter(slot => slot.gitDir === gitDir && !slot.busy)) {
      this.remove(slot);
    }
  }

  /** Stops every process; later leases fail. */
  close(): void {
    this.closed = true;
    for (const slot of [...this.slots]) {
      this.remove(slot);
    }
  }

  /** Processes running now (for tests and the benchmark). */
  get size(): number {
    return this.slots.length;
  }

  private async acquire(gitDir: string): Promise<Slot> {
    for (;;) {
      if (this.closed) {
        throw new ObjectReaderError('the object reader is closed');
      }
      for (const dead of this.slots.filter(slot => !slot.busy && !slot.process.alive)) {
        this.remove(dead);
      }
      const idle = this.slots.find(slot => slot.gitDir === gitDir && !slot.busy && slot.process.alive);
      if (idle) {
        clearTimeout(idle.idleTimer);
        idle.busy = true;
        return idle;
      }
      const mine = this.slots.filter(slot => slot.gitDir === gitDir).length;
      if (mine < this.limits.perRepository) {
        if (this.slots.length >= this.limits.total) {
          const evictable = this.slots.find(slot => !slot.busy);
          if (evictable) {
            this.remove(evictable);
          }
        }
        if (this.slots.length < this.limits.total) {
          const slot: Slot = { process: new CatFileProcess(this.git.catFileBatch(gitDir)), gitDir, busy: true };
          this.slots.push(slot);
          return slot;
        }
      }
      await new Promise<void>(wake => this.waiting.push({ gitDir, wake }));
    }
  }

  private release(slot: Slot): void {
    slot.busy = false;
    if (!slot.process.alive || this.closed) {
      this.remove(slot);
    } else {
      slot.idleTimer = setTimeout(() => this.remove(slot), this.limits.idleMs);
      slot.idleTimer.unref();
    }
    // Wake a waiter of this repository first (it can take this process); otherwise the oldest.
    const index = Math.max(0, this.waiting.findIndex(waiter => waiter.gitDir === slot.gitDir));
    this.waiting.splice(index, 1)[0]?.wake();
  }

  private remove(slot: Slot): void {
    clearTimeout(slot.idleTimer);
    const index = this.slots.indexOf(slot);
    if (index >= 0) {
      this.slots.splice(index, 1);
    }
    slot.process.close();
    // A place came free: every waiter looks again (each re-checks the limits in its loop).
    for (const waiter of this.waiting.splice(0)) {
      waiter.wake();
    }
  }
}
