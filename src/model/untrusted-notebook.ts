/**
 * Notebooks written by someone else are never trusted. JupyterLab runs the JavaScript of a
 * trusted cell's outputs (`application/javascript`, scripts and event handlers in HTML) and shows
 * an untrusted cell's HTML only sanitized. On disk, jupyter_server decides trust from a signature
 * made with the user's own secret; a notebook that comes from HubShare (another user's push) has
 * no such check, so whatever its cells claim, every cell is marked untrusted here, the one place
 * every notebook shown from HubShare passes through.
 */

/** A JSON object (not null, not an array). */
function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy of a notebook's JSON with `metadata.trusted = false` on every cell; other values as they are. */
export function untrustedNotebook(notebook: unknown): unknown {
  if (!isJsonObject(notebook) || !Array.isArray(notebook.cells)) {
    return notebook;
  }
  return {
    ...notebook,
    cells: notebook.cells.map((cell: unknown) =>
      isJsonObject(cell) ? { ...cell, metadata: { ...(isJsonObject(cell.metadata) ? cell.metadata : {}), trusted: false } } : cell
    )
  };
}

/**
 * A notebook as the read-only drive shows it: untrusted (above), and with the `language_info`
 * JupyterLab would otherwise add once it has loaded a notebook that has none — a change that
 * marked every such read-only tab as unsaved, to be asked about on closing it. The language is
 * the one the kernelspec names, or none.
 */
export function notebookToShow(notebook: unknown): unknown {
  const untrusted = untrustedNotebook(notebook);
  if (!isJsonObject(untrusted) || !isJsonObject(untrusted.metadata)) {
    return untrusted;
  }
  const { metadata } = untrusted;
  if (typeof metadata.language_info === 'object' && metadata.language_info !== null) {
    return untrusted;
  }
  const language = isJsonObject(metadata.kernelspec) ? metadata.kernelspec.language : undefined;
  return { ...untrusted, metadata: { ...metadata, language_info: { name: typeof language === 'string' ? language : '' } } };
}
