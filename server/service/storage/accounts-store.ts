import type { Database } from './database';

export interface UserRow {
  id: string;
  name: string;
  is_admin: number;
  created_at: string;
}

export interface TokenRow {
  id: string;
  user_id: string;
  note: string;
  created_at: string;
  last_used_at: string | null;
}

/** Queries on users and their API tokens. Token values never reach this layer, only hashes. */
export class AccountsStore {
  constructor(private readonly db: Database) {}

  userByName(name: string): Promise<UserRow | undefined> {
    return this.db.first<UserRow>('SELECT id, name, is_admin, created_at FROM users WHERE name = $1', [name]);
  }

  async insertUser(user: UserRow): Promise<void> {
    await this.db.run('INSERT INTO users (id, name, is_admin, created_at) VALUES ($1, $2, $3, $4)', [
      user.id,
      user.name,
      user.is_admin,
      user.created_at
    ]);
  }

  async setAdmin(userId: string, isAdmin: boolean): Promise<void> {
    await this.db.run('UPDATE users SET is_admin = $1 WHERE id = $2', [isAdmin ? 1 : 0, userId]);
  }

  async insertToken(token: TokenRow & { token_hash: string }): Promise<void> {
    await this.db.run(
      'INSERT INTO api_tokens (id, user_id, token_hash, note, created_at) VALUES ($1, $2, $3, $4, $5)',
      [token.id, token.user_id, token.token_hash, token.note, token.created_at]
    );
  }

  userByTokenHash(tokenHash: string): Promise<(UserRow & { token_id: string }) | undefined> {
    return this.db.first(
      `SELECT u.id, u.name, u.is_admin, u.created_at, t.id AS token_id
         FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1`,
      [tokenHash]
    );
  }

  async touchToken(tokenId: string, when: string): Promise<void> {
    await this.db.run('UPDATE api_tokens SET last_used_at = $1 WHERE id = $2', [when, tokenId]);
  }

  tokensOf(userId: string): Promise<TokenRow[]> {
    return this.db.all<TokenRow>(
      'SELECT id, user_id, note, created_at, last_used_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id',
      [userId]
    );
  }

  /** Deletes one token of one user; returns whether it existed. */
  async deleteToken(userId: string, tokenId: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM api_tokens WHERE id = $1 AND user_id = $2', [tokenId, userId])) > 0;
  }
}
