import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** An error answered by the HubShare agent (or the proxy in front of it), in its JSON shape. */
export class HubShareRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message);
    this.name = 'HubShareRequestError';
  }
}

/**
 * The one HTTP seam of the frontend: calls `/hubshare/<endPoint>` on the Jupyter server, which
 * authenticates the user and proxies to the agent, and parses the JSON answer.
 * @throws HubShareRequestError with the server's code and message, or `network_error`.
 */
export async function requestAPI<T>(
  endPoint: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const text = await (await fetchOk(endPoint, init, settings)).text();
  if (text.length === 0) {
    return undefined as T;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined as T;
  }
}

/**
 * Like `requestAPI`, for answers that are a file's bytes (a side of a conflicted file).
 * @throws HubShareRequestError as `requestAPI`.
 */
export async function requestBytes(
  endPoint: string,
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<Uint8Array> {
  return new Uint8Array(await (await fetchOk(endPoint, {}, settings)).arrayBuffer());
}

/** Sends the request; an answer that is not OK becomes a HubShareRequestError. */
async function fetchOk(endPoint: string, init: RequestInit, settings: ServerConnection.ISettings): Promise<Response> {
  const url = URLExt.join(settings.baseUrl, 'hubshare', endPoint);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new HubShareRequestError(0, 'network_error', error instanceof Error ? error.message : String(error));
  }
  if (response.ok) {
    return response;
  }
  let body: unknown = undefined;
  try {
    body = JSON.parse(await response.text());
  } catch {
    body = undefined;
  }
  const error = errorOf(body);
  throw new HubShareRequestError(
    response.status,
    error?.code ?? 'http_error',
    error?.message ?? `The server answered ${response.status} ${response.statusText}.`
  );
}

function errorOf(body: unknown): { code: string; message: string } | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) {
    return undefined;
  }
  const error = body.error;
  if (typeof error !== 'object' || error === null || !('code' in error) || !('message' in error)) {
    return undefined;
  }
  return typeof error.code === 'string' && typeof error.message === 'string'
    ? { code: error.code, message: error.message }
    : undefined;
}
