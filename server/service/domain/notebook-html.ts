import { marked } from 'marked';

/**
 * Renders notebooks and Markdown to standalone HTML documents for static pages. Outputs are put in
 * as the notebook holds them (HTML and scripts included): the page is served in a sandbox that
 * cannot act as the hub's origin, so a notebook shows exactly as its author saw it.
 */

const STYLE = `
:root { color-scheme: light dark; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; line-height: 1.5; margin: 0; padding: 24px; }
main { max-width: 980px; margin: 0 auto; }
.cell { margin: 12px 0; }
.prompt { font-family: ui-monospace, monospace; font-size: 12px; color: #6a6a6a; }
pre { background: rgba(127,127,127,0.1); padding: 8px 12px; overflow-x: auto; border-radius: 4px; margin: 4px 0; }
pre.stderr, pre.error { background: rgba(255,0,0,0.08); }
.output img { max-width: 100%; }
table { border-collapse: collapse; } td, th { border: 1px solid rgba(127,127,127,0.4); padding: 2px 8px; }
nav.listing li { list-style: none; }
`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, char => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);
}

/** A whole HTML document around `body`. */
export function htmlDocument(title: string, body: string): string {
  return `<!doctype html>\n<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(
    title
  )}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>\n`;
}

export function markdownToHtml(source: string): string {
  return marked.parse(source, { async: false, gfm: true });
}

/** nbformat's multiline strings: a string, or a list of lines. */
function text(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  return Array.isArray(value) ? value.filter(line => typeof line === 'string').join('') : '';
}

function stripAnsi(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
}

type MimeBundle = Record<string, unknown>;

/** The richest representation of an output that a static page can show. */
function renderBundle(data: MimeBundle): string {
  if (data['text/html'] !== undefined) {
    return text(data['text/html']);
  }
  if (data['image/svg+xml'] !== undefined) {
    return text(data['image/svg+xml']);
  }
  for (const type of ['image/png', 'image/jpeg', 'image/gif']) {
    if (typeof data[type] === 'string' || Array.isArray(data[type])) {
      return `<img alt="" src="data:${type};base64,${escapeHtml(text(data[type]).replace(/\s/g, ''))}">`;
    }
  }
  if (data['text/markdown'] !== undefined) {
    return markdownToHtml(text(data['text/markdown']));
  }
  if (data['application/javascript'] !== undefined) {
    return `<script>${text(data['application/javascript'])}</script>`;
  }
  if (data['text/latex'] !== undefined) {
    return `<pre>${escapeHtml(text(data['text/latex']))}</pre>`;
  }
  return data['text/plain'] !== undefined ? `<pre>${escapeHtml(text(data['text/plain']))}</pre>` : '';
}

function renderOutput(output: Record<string, unknown>): string {
  switch (output.output_type) {
    case 'stream':
      return `<pre class="${output.name === 'stderr' ? 'stderr' : 'stdout'}">${escapeHtml(text(output.text))}</pre>`;
    case 'execute_result':
    case 'display_data':
      return typeof output.data === 'object' && output.data !== null ? renderBundle(output.data as MimeBundle) : '';
    case 'error': {
      const traceback = Array.isArray(output.traceback) ? output.traceback.map(line => stripAnsi(String(line))).join('\n') : '';
      return `<pre class="error">${escapeHtml(traceback || `${String(output.ename)}: ${String(output.evalue)}`)}</pre>`;
    }
    default:
      return '';
  }
}

/**
 * A notebook (nbformat 4) as an HTML document: Markdown cells rendered, code cells with their
 * source and outputs.
 * @throws Error when the file is not a notebook.
 */
export function notebookToHtml(title: string, raw: string): string {
  const notebook = JSON.parse(raw) as { cells?: unknown };
  if (!Array.isArray(notebook.cells)) {
    throw new Error('not a notebook: no cells');
  }
  const cells = notebook.cells.map(item => {
    const cell = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const source = text(cell.source);
    if (cell.cell_type === 'markdown') {
      return `<div class="cell markdown">${markdownToHtml(source)}</div>`;
    }
    if (cell.cell_type === 'code') {
      const count = typeof cell.execution_count === 'number' ? String(cell.execution_count) : ' ';
      const outputs = Array.isArray(cell.outputs)
        ? cell.outputs.map(output => `<div class="output">${renderOutput((output ?? {}) as Record<string, unknown>)}</div>`).join('')
        : '';
      return `<div class="cell code"><div class="prompt">In [${escapeHtml(count)}]:</div><pre class="source">${escapeHtml(source)}</pre>${outputs}</div>`;
    }
    return `<div class="cell raw"><pre>${escapeHtml(source)}</pre></div>`;
  });
  return htmlDocument(title, cells.join('\n'));
}
