/**
 * Typed errors thrown by domain code. One error handler (see http-errors.ts) turns them into
 * `{"error": {"code", "message"}}` with the status they carry; messages are written for users.
 */
export class HubShareError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request is malformed or names something invalid. */
export class BadRequest extends HubShareError {
  constructor(message: string, code = 'bad_request') {
    super(400, code, message);
  }
}

/** No credentials, or credentials that do not identify anyone. */
export class Unauthorized extends HubShareError {
  constructor(message = 'Sign in first: this request carries no valid token.', code = 'unauthorized') {
    super(401, code, message);
  }
}

/** The caller is known and may see the thing, but may not do this to it. */
export class Forbidden extends HubShareError {
  constructor(message: string, code = 'forbidden') {
    super(403, code, message);
  }
}

/** The thing does not exist, or the caller may not know that it exists. */
export class NotFound extends HubShareError {
  constructor(message: string, code = 'not_found') {
    super(404, code, message);
  }
}

/** The request clashes with the current state (a name taken, a push that is not a fast-forward). */
export class Conflict extends HubShareError {
  constructor(message: string, code = 'conflict') {
    super(409, code, message);
  }
}

/** Something this process depends on is not there right now. */
export class ServiceUnavailable extends HubShareError {
  constructor(message: string, code = 'unavailable') {
    super(503, code, message);
  }
}
