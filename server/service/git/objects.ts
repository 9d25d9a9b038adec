/** git's object formats (trees, commits, tags), parsed from the bytes `cat-file` returns. */

export type EntryKind = 'tree' | 'blob' | 'symlink' | 'submodule';

export interface TreeEntry {
  name: string;
  /** git's octal mode as it prints it (`100644`, `040000`, …). */
  mode: string;
  kind: EntryKind;
  id: string;
}

export interface Signature {
  name: string;
  email: string;
  /** ISO-8601, in UTC. */
  date: string;
}

export interface CommitObject {
  tree: string;
  parents: string[];
  author: Signature;
  committer: Signature;
  message: string;
}

function kindOf(mode: string): EntryKind {
  switch (mode) {
    case '40000':
      return 'tree';
    case '120000':
      return 'symlink';
    case '160000':
      return 'submodule';
    default:
      return 'blob';
  }
}

/** Entries of a raw tree object (`<mode> <name>\0<20-byte id>` repeated), in git's order. */
export function parseTree(data: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const nul = data.indexOf(0x00, space + 1);
    if (space < 0 || nul < 0 || nul + 21 > data.length) {
      throw new Error('malformed tree object');
    }
    const mode = data.subarray(at, space).toString('latin1');
    entries.push({
      name: data.subarray(space + 1, nul).toString('utf8'),
      mode: mode.padStart(6, '0'),
      kind: kindOf(mode),
      id: data.subarray(nul + 1, nul + 21).toString('hex')
    });
    at = nul + 21;
  }
  return entries;
}

function parseSignature(value: string): Signature {
  const match = /^(.*) <([^>]*)> (\d+) ([+-]\d{4})$/.exec(value);
  if (!match) {
    return { name: value, email: '', date: new Date(0).toISOString() };
  }
  return { name: match[1], email: match[2], date: new Date(Number(match[3]) * 1000).toISOString() };
}

/** A raw commit object's headers and message. */
export function parseCommit(data: Buffer): CommitObject {
  const text = data.toString('utf8');
  const split = text.indexOf('\n\n');
  const headers = (split < 0 ? text : text.slice(0, split)).split('\n');
  const commit: CommitObject = {
    tree: '',
    parents: [],
    author: parseSignature(''),
    committer: parseSignature(''),
    message: split < 0 ? '' : text.slice(split + 2)
  };
  for (const line of headers) {
    const space = line.indexOf(' ');
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === 'tree') {
      commit.tree = value;
    } else if (key === 'parent') {
      commit.parents.push(value);
    } else if (key === 'author') {
      commit.author = parseSignature(value);
    } else if (key === 'committer') {
      commit.committer = parseSignature(value);
    }
  }
  return commit;
}

/** The object an annotated tag points at. */
export function parseTagTarget(data: Buffer): string | null {
  const match = /^object ([0-9a-f]{40})$/m.exec(data.toString('utf8'));
  return match ? match[1] : null;
}
