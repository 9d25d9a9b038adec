/**
 * Notebooks written by someone else are never trusted. JupyterLab runs the JavaScript of a
 * trusted cell's outputs (`application/javascript`, scripts and event handlers in HTML) and shows
 * an untrusted cell's HTML only sanitized. On disk, jupyter_server decides trust from a signature
 * made with the user's own secret; a notebook that comes from HubShare (another user's push) has
 * no such check, so whatever its cells claim, every cell is marked untrusted here, the one place
 * every notebook shown from HubShare passes through.
 */

/** A copy of a notebook's JSON with `metadata.trusted = false` on every cell; other values as they are. */
export function untrustedNotebook(notebook: unknown): unknown {
  if (typeof notebook !== 'object' || notebook === null || Array.isArray(notebook)) {
    return notebook;
  }
  const { cells } = notebook as { cells?: unknown };
  if (!Array.isArray(cells)) {
    return notebook;
  }
  return {
    ...notebook,
    cells: cells.map((cell: unknown) => {
      if (typeof cell !== 'object' || cell === null || Array.isArray(cell)) {
        return cell;
      }
      const { metadata } = cell as { metadata?: unknown };
      const own = typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) ? metadata : {};
      return { ...cell, metadata: { ...own, trusted: false } };
    })
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
  if (typeof untrusted !== 'object' || untrusted === null || Array.isArray(untrusted)) {
    return untrusted;
  }
  const { metadata } = untrusted as { metadata?: unknown };
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    return untrusted;
  }
  const { language_info: languageInfo, kernelspec } = metadata as { language_info?: unknown; kernelspec?: unknown };
  if (typeof languageInfo === 'object' && languageInfo !== null) {
    return untrusted;
  }
  const language = typeof kernelspec === 'object' && kernelspec !== null ? (kernelspec as { language?: unknown }).language : undefined;
  return { ...untrusted, metadata: { ...metadata, language_info: { name: typeof language === 'string' ? language : '' } } };
}
