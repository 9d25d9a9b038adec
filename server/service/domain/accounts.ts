import { createHash, randomBytes } from 'node:crypto';
import { BadRequest, Conflict, NotFound } from '../../shared/errors';
import { parseUserName, type UserName } from '../../shared/names';
import type { AccountsStore } from '../storage/accounts-store';

/** Someone whose token the service accepted. */
export interface Caller {
  /** The user's internal id (users.id). */
  readonly id: string;
  readonly name: UserName;
  /** Hub admins have admin on every project and team. */
  readonly admin: boolean;
  /** The JupyterHub groups the hub says the user is in (empty standalone). */
  readonly hubGroups: readonly string[];
}

/** The service's notion of time, injected so tests can fix it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface TokenInfo {
  id: string;
  note: string;
  createdAt: string;
  lastUsedAt: string | null;
}

const TOKEN_PREFIX = 'hs_';

/** Tokens carry 256 random bits, so one fast hash is enough to make a stolen table useless. */
function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * The standalone service's own users and API tokens (under JupyterHub the hub owns identity).
 * Token values exist only in the answer to `createToken`; the store keeps their hashes.
 */
export class Accounts {
  constructor(
    private readonly store: AccountsStore,
    private readonly clock: Clock = systemClock
  ) {}

  /**
   * Adds a user; with `existOk`, an existing user is kept (and made admin if asked).
   * @throws BadRequest for an invalid name; Conflict when the user exists and `existOk` is off.
   */
  async addUser(rawName: string, options: { admin?: boolean; existOk?: boolean } = {}): Promise<{ name: UserName; created: boolean }> {
    const name = parseUserName(rawName);
    const existing = await this.store.userByName(name);
    if (existing) {
      if (!options.existOk) {
        throw new Conflict(`A user named "${name}" already exists.`, 'name_taken');
      }
      if (options.admin && !existing.is_admin) {
        await this.store.setAdmin(existing.id, true);
      }
      return { name, created: false };
    }
    await this.store.insertUser({
      id: randomBytes(12).toString('hex'),
      name,
      is_admin: options.admin ? 1 : 0,
      created_at: this.clock.now().toISOString()
    });
    return { name, created: true };
  }

  /**
   * Creates an API token for a user and returns its value, which is never stored or shown again.
   * @throws NotFound when there is no such user.
   */
  async createToken(rawName: string, note = ''): Promise<{ id: string; token: string }> {
    const user = await this.requireUser(rawName);
    if (note.length > 200) {
      throw new BadRequest('A token note can be at most 200 characters long.');
    }
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const id = randomBytes(6).toString('hex');
    await this.store.insertToken({
      id,
      user_id: user.id,
      token_hash: hashToken(token),
      note,
      created_at: this.clock.now().toISOString(),
      last_used_at: null
    });
    return { id, token };
  }

  /** Lists a user's tokens (never their values). @throws NotFound when there is no such user. */
  async listTokens(rawName: string): Promise<TokenInfo[]> {
    const user = await this.requireUser(rawName);
    return (await this.store.tokensOf(user.id)).map(row => ({
      id: row.id,
      note: row.note,
      createdAt: row.created_at,
      lastUsedAt: row.last_used_at
    }));
  }

  /** Revokes one token of a user. @throws NotFound when the user or the token does not exist. */
  async revokeToken(rawName: string, tokenId: string): Promise<void> {
    const user = await this.requireUser(rawName);
    if (!(await this.store.deleteToken(user.id, tokenId))) {
      throw new NotFound(`${user.name} has no token with id "${tokenId.slice(0, 40)}".`);
    }
  }

  /** Resolves a token to its user, or undefined when it is not a live token. */
  async authenticate(token: string): Promise<Caller | undefined> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) {
      return undefined;
    }
    const row = await this.store.userByTokenHash(hashToken(token));
    if (!row) {
      return undefined;
    }
    await this.store.touchToken(row.token_id, this.clock.now().toISOString());
    return { id: row.id, name: parseUserName(row.name), admin: row.is_admin === 1, hubGroups: [] };
  }

  private async requireUser(rawName: string) {
    const name = parseUserName(rawName);
    const user = await this.store.userByName(name);
    if (!user) {
      throw new NotFound(`There is no user named "${name}".`, 'no_such_user');
    }
    return user;
  }
}
