import { Writable } from 'node:stream';
import { contentType } from 'mime-types';
import type { BlobHandle, Browse, EntryView } from './browse';
import { escapeHtml, htmlDocument, markdownToHtml, notebookToHtml } from './notebook-html';
import type { ReadableProject } from './projects';

/** What a pages request gets: a file as it is, a rendered document, or a redirect to `folder/`. */
export type PageAnswer =
  | { kind: 'folder-redirect' }
  | { kind: 'file'; blob: BlobHandle; contentType: string }
  | { kind: 'html'; html: string };

/** Notebooks and READMEs larger than this are served as files instead of rendered. */
const MAX_RENDERED_BYTES = 20 * 1024 * 1024;
const README = /^readme(\.md|\.markdown|\.ipynb|\.txt)?$/i;

/** Reads a blob into memory. */
async function readAll(blob: BlobHandle): Promise<string> {
  const chunks: Buffer[] = [];
  await blob.send(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      }
    })
  );
  return Buffer.concat(chunks).toString('utf8');
}

function render(name: string, source: string, title: string): string {
  if (name.toLowerCase().endsWith('.ipynb')) {
    return notebookToHtml(title, source);
  }
  if (/\.(md|markdown)$/i.test(name)) {
    return htmlDocument(title, markdownToHtml(source));
  }
  return htmlDocument(title, `<pre>${escapeHtml(source)}</pre>`);
}

/**
 * Static pages of a project's default branch: files as they are; notebooks rendered to HTML; a
 * folder shows its `index.html`, else its README rendered, else a list of its files.
 */
export class Pages {
  constructor(private readonly browse: Browse) {}

  /** @throws NotFound when the path does not exist (or nothing was pushed yet). */
  async page(target: ReadableProject, rawPath: string, askedForFolder: boolean): Promise<PageAnswer> {
    const { entry, entries } = await this.browse.tree(target, 'HEAD', rawPath);
    const title = `${target.project.owner_name}/${target.project.name}${entry.path ? `/${entry.path}` : ''}`;
    if (entries) {
      if (!askedForFolder) {
        return { kind: 'folder-redirect' };
      }
      const index = entries.find(child => child.name === 'index.html' && child.type === 'blob');
      if (index) {
        return this.file(target, index);
      }
      const readme = entries.find(child => README.test(child.name) && child.type === 'blob' && (child.size ?? 0) <= MAX_RENDERED_BYTES);
      if (readme) {
        const blob = await this.browse.blob(target, 'HEAD', readme.path);
        return { kind: 'html', html: render(readme.name, await readAll(blob), title) };
      }
      return { kind: 'html', html: htmlDocument(title, this.listing(title, entries)) };
    }
    if (entry.name.toLowerCase().endsWith('.ipynb') && (entry.size ?? 0) <= MAX_RENDERED_BYTES) {
      const blob = await this.browse.blob(target, 'HEAD', entry.path);
      try {
        return { kind: 'html', html: notebookToHtml(title, await readAll(blob)) };
      } catch {
        // Not a notebook after all: serve the file as it is.
      }
    }
    return this.file(target, entry);
  }

  private async file(target: ReadableProject, entry: EntryView): Promise<PageAnswer> {
    const blob = await this.browse.blob(target, 'HEAD', entry.path);
    return { kind: 'file', blob, contentType: contentType(entry.name) || 'application/octet-stream' };
  }

  private listing(title: string, entries: EntryView[]): string {
    const items = entries
      .filter(child => child.type !== 'submodule')
      .map(child => {
        const href = encodeURIComponent(child.name) + (child.type === 'tree' ? '/' : '');
        return `<li><a href="${escapeHtml(href)}">${escapeHtml(child.name)}${child.type === 'tree' ? '/' : ''}</a></li>`;
      });
    return `<h1>${escapeHtml(title)}</h1><nav class="listing"><ul>${items.join('')}</ul></nav>`;
  }
}
