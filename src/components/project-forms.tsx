import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import React, { useState } from 'react';
import type { ProjectSummary } from '../model/agent-status';
import type { Visibility } from '../model/sharing';

/** A Dialog body holding a small form; `getValue()` is what the dialog resolves with. */
abstract class FormBody<T> extends ReactWidget {
  protected value: T;

  constructor(initial: T) {
    super();
    this.value = initial;
    this.addClass('jp-HubShare-dialogWidget');
  }

  getValue(): T {
    return this.value;
  }

  protected readonly onFormChange = (value: T): void => {
    this.value = value;
  };
}

/** Fields of a form as label + control pairs, in JupyterLab's styled controls. */
function Field(props: { id: string; label: string; hint?: string; children: JSX.Element }): JSX.Element {
  return (
    <div className="jp-HubShare-field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.hint && <span className="jp-HubShare-muted">{props.hint}</span>}
    </div>
  );
}

export interface PublishValue {
  path: string;
  name: string;
  visibility: Visibility;
  /** User names to give read access, comma- or space-separated as typed. */
  shareWith: string;
}

/** A project name the service will accept, suggested from a folder name. */
export function suggestProjectName(folder: string): string {
  const base = folder.split('/').filter(Boolean).pop() ?? '';
  const name = base
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/[.-]+$/, '')
    .slice(0, 63);
  return name.endsWith('.git') ? name.slice(0, -4) : name;
}

function PublishForm({ initial, trans, onChange }: { initial: PublishValue; trans: TranslationBundle; onChange: (value: PublishValue) => void }): JSX.Element {
  const [value, setValue] = useState(initial);
  const set = (changes: Partial<PublishValue>) => {
    const next = { ...value, ...changes };
    setValue(next);
    onChange(next);
  };
  return (
    <div className="jp-HubShare-dialogBody">
      <p>{trans.__('Share a folder of notebooks, data and code as a project. Every push keeps a version.')}</p>
      <Field id="jp-HubShare-publishPath" label={trans.__('Folder')}>
        <input id="jp-HubShare-publishPath" className="jp-mod-styled" value={value.path} onChange={event => set({ path: event.target.value })} />
      </Field>
      <Field id="jp-HubShare-publishName" label={trans.__('Project name')} hint={trans.__('lower-case letters, digits, . _ -')}>
        <input id="jp-HubShare-publishName" className="jp-mod-styled" value={value.name} onChange={event => set({ name: event.target.value })} />
      </Field>
      <Field id="jp-HubShare-publishVisibility" label={trans.__('Who can read it')}>
        <select id="jp-HubShare-publishVisibility" className="jp-mod-styled" value={value.visibility} onChange={event => set({ visibility: event.target.value as Visibility })}>
          <option value="private">{trans.__('Only people I share it with')}</option>
          <option value="hub">{trans.__('Everyone on the hub')}</option>
        </select>
      </Field>
      <Field id="jp-HubShare-publishShare" label={trans.__('Share with (optional)')} hint={trans.__('user names, separated by commas; they can read it')}>
        <input id="jp-HubShare-publishShare" className="jp-mod-styled" value={value.shareWith} onChange={event => set({ shareWith: event.target.value })} />
      </Field>
    </div>
  );
}

export class PublishBody extends FormBody<PublishValue> {
  constructor(
    initial: PublishValue,
    private readonly trans: TranslationBundle
  ) {
    super(initial);
  }

  protected render(): JSX.Element {
    return <PublishForm initial={this.value} trans={this.trans} onChange={this.onFormChange} />;
  }
}

export interface CheckoutValue {
  project: string;
  path: string;
}

function CheckoutForm(props: { initial: CheckoutValue; projects: ProjectSummary[]; trans: TranslationBundle; onChange: (value: CheckoutValue) => void }): JSX.Element {
  const { trans } = props;
  const [value, setValue] = useState(props.initial);
  const set = (changes: Partial<CheckoutValue>) => {
    const next = { ...value, ...changes };
    // The folder follows the project until the user types one of their own.
    if (changes.project && (value.path === '' || value.path === value.project.split('/')[1])) {
      next.path = changes.project.split('/')[1] ?? '';
    }
    setValue(next);
    props.onChange(next);
  };
  return (
    <div className="jp-HubShare-dialogBody">
      <p>{trans.__('Get your own copy of a project in a folder, to edit, push and pull.')}</p>
      <Field id="jp-HubShare-checkoutProject" label={trans.__('Project')}>
        <select id="jp-HubShare-checkoutProject" className="jp-mod-styled" value={value.project} onChange={event => set({ project: event.target.value })}>
          {props.projects.map(project => (
            <option key={`${project.owner}/${project.name}`} value={`${project.owner}/${project.name}`}>
              {project.owner}/{project.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id="jp-HubShare-checkoutPath" label={trans.__('Into the folder')} hint={trans.__('a new or empty folder')}>
        <input id="jp-HubShare-checkoutPath" className="jp-mod-styled" value={value.path} onChange={event => set({ path: event.target.value })} />
      </Field>
    </div>
  );
}

export class CheckoutBody extends FormBody<CheckoutValue> {
  constructor(
    initial: CheckoutValue,
    private readonly projects: ProjectSummary[],
    private readonly trans: TranslationBundle
  ) {
    super(initial);
  }

  protected render(): JSX.Element {
    return <CheckoutForm initial={this.value} projects={this.projects} trans={this.trans} onChange={this.onFormChange} />;
  }
}

export interface CloneValue {
  url: string;
  path: string;
}

/** The folder a clone URL suggests: the repository's name. */
export function folderFromUrl(url: string): string {
  const last = url.replace(/\/+$/, '').split('/').pop() ?? '';
  return last.replace(/\.git$/, '');
}

function CloneForm({ initial, trans, onChange }: { initial: CloneValue; trans: TranslationBundle; onChange: (value: CloneValue) => void }): JSX.Element {
  const [value, setValue] = useState(initial);
  const set = (changes: Partial<CloneValue>) => {
    const next = { ...value, ...changes };
    if (changes.url !== undefined && (value.path === '' || value.path === folderFromUrl(value.url))) {
      next.path = folderFromUrl(changes.url);
    }
    setValue(next);
    onChange(next);
  };
  return (
    <div className="jp-HubShare-dialogBody">
      <p>{trans.__('Copy a project from the internet (a git repository) into a folder. Nothing in it is run.')}</p>
      <Field id="jp-HubShare-cloneUrl" label={trans.__('Repository URL')} hint={trans.__('https://…')}>
        <input id="jp-HubShare-cloneUrl" className="jp-mod-styled" value={value.url} onChange={event => set({ url: event.target.value })} />
      </Field>
      <Field id="jp-HubShare-clonePath" label={trans.__('Into the folder')}>
        <input id="jp-HubShare-clonePath" className="jp-mod-styled" value={value.path} onChange={event => set({ path: event.target.value })} />
      </Field>
    </div>
  );
}

export class CloneBody extends FormBody<CloneValue> {
  constructor(
    initial: CloneValue,
    private readonly trans: TranslationBundle
  ) {
    super(initial);
  }

  protected render(): JSX.Element {
    return <CloneForm initial={this.value} trans={this.trans} onChange={this.onFormChange} />;
  }
}
