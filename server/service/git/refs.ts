import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OBJECT_ID } from './object-reader';

/** A repository's branches and tags, and where HEAD points. */
export interface RefSnapshot {
  /** HEAD's branch (`refs/heads/main`), or null when HEAD is detached or unreadable. */
  head: string | null;
  /** Full ref name → object id (a tag's own id; `peeled` has the commit of annotated tags). */
  refs: Map<string, string>;
  /** Annotated tag ref → the object it points at, when packed-refs recorded it. */
  peeled: Map<string, string>;
}

const ROOTS = ['refs/heads', 'refs/tags'];

/**
 * Reads refs straight from a bare repository's files (loose refs over `packed-refs`), so that
 * listing branches costs no git process. Symbolic refs other than HEAD and anything that is not
 * a plain object id are skipped.
 */
export async function readRefs(gitDir: string): Promise<RefSnapshot> {
  const refs = new Map<string, string>();
  const peeled = new Map<string, string>();
  const packed = await readFile(join(gitDir, 'packed-refs'), 'utf8').catch(() => '');
  let last: string | null = null;
  for (const line of packed.split('\n')) {
    if (line.startsWith('^') && last && OBJECT_ID.test(line.slice(1))) {
      peeled.set(last, line.slice(1));
      continue;
    }
    const [id, name] = line.split(' ');
    last = null;
    if (OBJECT_ID.test(id ?? '') && name && ROOTS.some(root => name.startsWith(`${root}/`))) {
      refs.set(name, id);
      last = name;
    }
  }
  for (const root of ROOTS) {
    await readLoose(gitDir, root, refs, peeled);
  }
  const head = (await readFile(join(gitDir, 'HEAD'), 'utf8').catch(() => '')).trim();
  return { head: head.startsWith('ref: refs/heads/') ? head.slice('ref: '.length) : null, refs, peeled };
}

async function readLoose(gitDir: string, prefix: string, refs: Map<string, string>, peeled: Map<string, string>): Promise<void> {
  const entries = await readdir(join(gitDir, prefix), { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const name = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      await readLoose(gitDir, name, refs, peeled);
    } else if (entry.isFile() && !entry.name.endsWith('.lock')) {
      const id = (await readFile(join(gitDir, name), 'utf8').catch(() => '')).trim();
      if (OBJECT_ID.test(id)) {
        refs.set(name, id);
        peeled.delete(name);
      }
    }
  }
}
