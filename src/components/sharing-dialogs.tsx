import type { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import React, { useState } from 'react';
import type { Level, PagesSetting, ShareModel, TeamRole, TeamsModel } from '../model/sharing';
import { useModel } from './use-model';

function levelNames(trans: TranslationBundle): Record<Level, string> {
  return { read: trans.__('Can read'), write: trans.__('Can push'), admin: trans.__('Admin') };
}

function Problem({ message }: { message: string | null }): JSX.Element | null {
  return message ? (
    <p className="jp-HubShare-dialogError" role="alert">
      {message}
    </p>
  ) : null;
}

function LevelSelect(props: { value: Level; label: string; disabled: boolean; trans: TranslationBundle; onChange: (level: Level) => void }): JSX.Element {
  const names = levelNames(props.trans);
  return (
    <select className="jp-mod-styled" aria-label={props.label} value={props.value} disabled={props.disabled} onChange={event => props.onChange(event.target.value as Level)}>
      {(['read', 'write', 'admin'] as const).map(level => (
        <option key={level} value={level}>
          {names[level]}
        </option>
      ))}
    </select>
  );
}

/** Who has access to a project, and (for its admins) the controls to change it. */
export function ShareView({ model, trans }: { model: ShareModel; trans: TranslationBundle }): JSX.Element {
  useModel(model);
  const [kind, setKind] = useState<'users' | 'teams'>('users');
  const [name, setName] = useState('');
  const [level, setLevel] = useState<Level>('read');
  const manage = model.canManage && !model.busy;
  const rows = [...model.grants.users.map(grant => ({ ...grant, kind: 'users' as const })), ...model.grants.teams.map(grant => ({ ...grant, kind: 'teams' as const }))];
  const settings = model.settings;
  return (
    <div className="jp-HubShare-dialogBody jp-HubShare-share" aria-busy={model.busy}>
      <Problem message={model.error} />
      {settings && (
        <p className="jp-HubShare-muted">
          {trans.__('%1 always has admin on it, as its owner.', settings.owner)}
          {!model.canManage && ` ${trans.__('Only its admins can change who has access.')}`}
        </p>
      )}
      <table className="jp-HubShare-grants">
        <caption className="jp-HubShare-srOnly">{trans.__('Who has access')}</caption>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td className="jp-HubShare-muted">{trans.__('Not shared with anyone yet.')}</td>
            </tr>
          )}
          {rows.map(row => (
            <tr key={`${row.kind}/${row.name}`}>
              <th scope="row">{row.kind === 'teams' ? trans.__('Team %1', row.name) : row.name}</th>
              <td>
                <LevelSelect
                  value={row.level}
                  label={trans.__('Access of %1', row.name)}
                  disabled={!manage}
                  trans={trans}
                  onChange={next => void model.grant(row.kind, row.name, next)}
                />
              </td>
              <td>
                <button type="button" className="jp-HubShare-textButton" disabled={!manage} aria-label={trans.__('Remove %1', row.name)} onClick={() => void model.revoke(row.kind, row.name)}>
                  {trans.__('Remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {model.canManage && (
        <form
          className="jp-HubShare-formRow"
          onSubmit={event => {
            event.preventDefault();
            void model.grant(kind, name, level).then(() => model.error || setName(''));
          }}
        >
          <select className="jp-mod-styled" aria-label={trans.__('Share with a person or a team')} value={kind} onChange={event => setKind(event.target.value as 'users' | 'teams')}>
            <option value="users">{trans.__('Person')}</option>
            <option value="teams">{trans.__('Team')}</option>
          </select>
          <input
            className="jp-mod-styled"
            aria-label={kind === 'users' ? trans.__('User name') : trans.__('Team name')}
            placeholder={kind === 'users' ? trans.__('user name') : trans.__('team name')}
            list={kind === 'teams' ? 'jp-HubShare-teamNames' : undefined}
            value={name}
            onChange={event => setName(event.target.value)}
          />
          <datalist id="jp-HubShare-teamNames">
            {model.teams.map(team => (
              <option key={team} value={team} />
            ))}
          </datalist>
          <LevelSelect value={level} label={trans.__('Access to give')} disabled={false} trans={trans} onChange={setLevel} />
          <button type="submit" className="jp-mod-styled jp-mod-accept" disabled={model.busy}>
            {trans.__('Share')}
          </button>
        </form>
      )}
      {settings && (
        <div className="jp-HubShare-formGrid">
          <label htmlFor="jp-HubShare-visibility">{trans.__('Who can find and read it')}</label>
          <select
            id="jp-HubShare-visibility"
            className="jp-mod-styled"
            value={settings.visibility}
            disabled={!manage}
            onChange={event => void model.update({ visibility: event.target.value as 'private' | 'hub' })}
          >
            <option value="private">{trans.__('Only the people and teams above')}</option>
            <option value="hub">{trans.__('Everyone on the hub (read)')}</option>
          </select>
          <label htmlFor="jp-HubShare-pages">{trans.__('Web pages')}</label>
          <select
            id="jp-HubShare-pages"
            className="jp-mod-styled"
            value={settings.pages}
            disabled={!manage}
            onChange={event => void model.update({ pages: event.target.value as PagesSetting })}
          >
            <option value="off">{trans.__('Off')}</option>
            <option value="project">{trans.__('On, for those who can read it')}</option>
            <option value="hub">{trans.__('On, for everyone on the hub')}</option>
          </select>
          {model.pagesUrl && (
            <a className="jp-HubShare-pagesLink" href={model.pagesUrl} target="_blank" rel="noopener noreferrer">
              {trans.__('Open the web pages')}
            </a>
          )}
        </div>
      )}
    </div>
  );
}

/** Teams: pick one to see its members; maintainers add, remove and promote members. */
export function TeamsView({ model, trans }: { model: TeamsModel; trans: TranslationBundle }): JSX.Element {
  useModel(model);
  const [newTeam, setNewTeam] = useState('');
  const [member, setMember] = useState('');
  const [role, setRole] = useState<TeamRole>('member');
  const team = model.selected;
  const manage = model.canManageSelected && !model.busy;
  const roleNames: Record<TeamRole, string> = { member: trans.__('Member'), maintainer: trans.__('Maintainer') };
  return (
    <div className="jp-HubShare-dialogBody jp-HubShare-teams" aria-busy={model.busy}>
      <Problem message={model.error} />
      <div className="jp-HubShare-teamsColumns">
        <nav aria-label={trans.__('Teams')}>
          <ul className="jp-HubShare-teamList">
            {model.teams.map(item => (
              <li key={item.name}>
                <button type="button" className="jp-HubShare-historyItem" aria-current={team?.name === item.name ? 'true' : undefined} onClick={() => void model.select(item.name)}>
                  <span className="jp-HubShare-historySubject">{item.name}</span>
                  <span className="jp-HubShare-muted">
                    {trans._n('%1 member', '%1 members', item.memberCount)}
                    {item.source === 'hub' ? ` · ${trans.__('from JupyterHub')}` : ''}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <form
            className="jp-HubShare-formRow"
            onSubmit={event => {
              event.preventDefault();
              void model.create(newTeam, '').then(() => model.error || setNewTeam(''));
            }}
          >
            <input className="jp-mod-styled" aria-label={trans.__('New team name')} placeholder={trans.__('new team name')} value={newTeam} onChange={event => setNewTeam(event.target.value)} />
            <button type="submit" className="jp-mod-styled jp-mod-accept" disabled={model.busy || !newTeam.trim()}>
              {trans.__('Create team')}
            </button>
          </form>
        </nav>
        <section className="jp-HubShare-teamDetail" aria-label={team ? trans.__('Members of %1', team.name) : trans.__('Members')}>
          {!team && <p className="jp-HubShare-muted">{trans.__('Pick a team to see its members. Adding someone to a team gives them access to all its projects at once.')}</p>}
          {team?.source === 'hub' && <p className="jp-HubShare-muted">{trans.__('This team is a JupyterHub group: its members are managed in JupyterHub.')}</p>}
          {team && (
            <table className="jp-HubShare-grants">
              <caption className="jp-HubShare-srOnly">{trans.__('Members of %1', team.name)}</caption>
              <tbody>
                {team.members.map(person => (
                  <tr key={person.name}>
                    <th scope="row">{person.name}</th>
                    <td>
                      <select
                        className="jp-mod-styled"
                        aria-label={trans.__('Role of %1', person.name)}
                        value={person.role}
                        disabled={!manage}
                        onChange={event => void model.putMember(person.name, event.target.value as TeamRole)}
                      >
                        <option value="member">{roleNames.member}</option>
                        <option value="maintainer">{roleNames.maintainer}</option>
                      </select>
                    </td>
                    <td>
                      <button
                        type="button"
                        className="jp-HubShare-textButton"
                        disabled={team.source === 'hub' || (!manage && person.name !== model.userName)}
                        aria-label={person.name === model.userName ? trans.__('Leave %1', team.name) : trans.__('Remove %1 from %2', person.name, team.name)}
                        onClick={() => void model.removeMember(person.name)}
                      >
                        {person.name === model.userName ? trans.__('Leave') : trans.__('Remove')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {team && model.canManageSelected && (
            <form
              className="jp-HubShare-formRow"
              onSubmit={event => {
                event.preventDefault();
                void model.putMember(member, role).then(() => model.error || setMember(''));
              }}
            >
              <input className="jp-mod-styled" aria-label={trans.__('User name to add')} placeholder={trans.__('user name')} value={member} onChange={event => setMember(event.target.value)} />
              <select className="jp-mod-styled" aria-label={trans.__('Role to give')} value={role} onChange={event => setRole(event.target.value as TeamRole)}>
                <option value="member">{roleNames.member}</option>
                <option value="maintainer">{roleNames.maintainer}</option>
              </select>
              <button type="submit" className="jp-mod-styled jp-mod-accept" disabled={model.busy || !member.trim()}>
                {trans.__('Add')}
              </button>
            </form>
          )}
        </section>
      </div>
    </div>
  );
}

/** A dialog body that renders a React view of a model. */
class ModelDialogBody extends ReactWidget {
  constructor(private readonly view: () => JSX.Element) {
    super();
    this.addClass('jp-HubShare-dialogWidget');
  }

  protected render(): JSX.Element {
    return this.view();
  }
}

/** The Share dialog's body for a project's model. */
export function shareDialogBody(model: ShareModel, trans: TranslationBundle): ReactWidget {
  return new ModelDialogBody(() => <ShareView model={model} trans={trans} />);
}

/** The Teams dialog's body. */
export function teamsDialogBody(model: TeamsModel, trans: TranslationBundle): ReactWidget {
  return new ModelDialogBody(() => <TeamsView model={model} trans={trans} />);
}
