import type { Selectable } from 'kysely';
import type { Store } from './open-store';
import type { ApiTokensTable, UsersTable } from './schema';

export type UserRow = Selectable<UsersTable>;
export type TokenRow = Omit<Selectable<ApiTokensTable>, 'token_hash'>;

/** Queries on users and their API tokens. Token values never reach this layer, only hashes. */
export class AccountsStore {
  constructor(private readonly db: Store) {}

  userByName(name: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
  }

  usersByNames(names: readonly string[]): Promise<UserRow[]> {
    if (names.length === 0) {
      return Promise.resolve([]);
    }
    return this.db.selectFrom('users').selectAll().where('name', 'in', names).execute();
  }

  async insertUser(user: UserRow): Promise<void> {
    await this.db.insertInto('users').values(user).execute();
  }

  /** Inserts a user unless one has the name already (two first requests may race). */
  async insertUserIfMissing(user: UserRow): Promise<void> {
    await this.db
      .insertInto('users')
      .values(user)
      .onConflict(conflict => conflict.column('name').doNothing())
      .execute();
  }

  async setAdmin(userId: string, isAdmin: boolean): Promise<void> {
    await this.db.updateTable('users').set({ is_admin: isAdmin ? 1 : 0 }).where('id', '=', userId).execute();
  }

  async insertToken(token: TokenRow & { token_hash: string }): Promise<void> {
    await this.db.insertInto('api_tokens').values(token).execute();
  }

  userByTokenHash(tokenHash: string): Promise<(UserRow & { token_id: string }) | undefined> {
    return this.db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select(['u.id', 'u.name', 'u.is_admin', 'u.created_at', 't.id as token_id'])
      .where('t.token_hash', '=', tokenHash)
      .executeTakeFirst();
  }

  async touchToken(tokenId: string, when: string): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: when }).where('id', '=', tokenId).execute();
  }

  tokensOf(userId: string): Promise<TokenRow[]> {
    return this.db
      .selectFrom('api_tokens')
      .select(['id', 'user_id', 'note', 'created_at', 'last_used_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /** Deletes one token of one user; returns whether it existed. */
  async deleteToken(userId: string, tokenId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('api_tokens')
      .where('id', '=', tokenId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
