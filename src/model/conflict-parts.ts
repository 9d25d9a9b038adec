/** A version of a conflicted file or of one of its parts: mine (what I had) or theirs (what was pushed). */
export type Side = 'mine' | 'theirs';

/**
 * One part of a waiting file both sides changed differently, as the agent answers it: a cell of
 * a notebook (by id, or by its number in the last common version), the notebook's metadata, or a
 * hunk of lines of a text file. The texts are null where that side deleted the cell.
 */
export interface ConflictPart {
  key: string;
  kind: 'changed' | 'deleted-here' | 'deleted-there' | 'metadata' | 'lines';
  base: string | null;
  mine: string | null;
  theirs: string | null;
  /** A pick already made for it (from the CLI), if any. */
  pick: Side | null;
}

/** `GET /hubshare/api/checkouts/parts`: what a waiting file can be picked by. */
export type ConflictParts = { kind: 'cells' | 'hunks'; parts: ConflictPart[] } | { kind: 'whole'; reason: string };
