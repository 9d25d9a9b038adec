// The parameters every listing takes — `limit`, an opaque `cursor` for the next page, and a
// name filter `q` — read the same way for projects and teams.
import { BadRequest } from '../../shared/errors';

/** The most items one page may hold. */
export const MAX_PAGE = 500;

/** What a listing request asked for; the cursor as the values it was made of. */
export interface Listing {
  limit?: number;
  q?: string;
  cursor?: string[];
}

/** An opaque cursor for the page after the item these values (its sort key) belong to. */
export function encodeCursor(values: readonly string[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function decodeCursor(raw: unknown, arity: number): string[] {
  try {
    const value: unknown = typeof raw === 'string' && raw.length <= 400 ? JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) : null;
    if (Array.isArray(value) && value.length === arity && value.every(part => typeof part === 'string')) {
      return value as string[];
    }
  } catch {
    // falls through to the error below
  }
  throw new BadRequest('"cursor" is not one this service gave out: start again from the first page.', 'invalid_cursor');
}

/**
 * Reads `limit`, `cursor` (of `arity` values) and `q`.
 * @throws BadRequest for a limit that is not 1…MAX_PAGE, a cursor this service did not make, or a
 *   q of over 100 characters or with control characters.
 */
export function parseListing(query: { limit?: unknown; cursor?: unknown; q?: unknown }, arity: number): Listing {
  const listing: Listing = {};
  if (query.limit !== undefined) {
    const limit = typeof query.limit === 'string' && /^[0-9]{1,4}$/.test(query.limit) ? Number(query.limit) : NaN;
    if (!(limit >= 1 && limit <= MAX_PAGE)) {
      throw new BadRequest(`"limit" must be a whole number from 1 to ${MAX_PAGE}.`, 'invalid_limit');
    }
    listing.limit = limit;
  }
  if (query.cursor !== undefined) {
    listing.cursor = decodeCursor(query.cursor, arity);
  }
  if (query.q !== undefined) {
    if (typeof query.q !== 'string' || query.q.length > 100 || [...query.q].some(char => (char.codePointAt(0) ?? 0) < 0x20 || char === '\u007f')) {
      throw new BadRequest('"q" must be text of at most 100 characters.', 'invalid_query');
    }
    listing.q = query.q;
  }
  return listing;
}
