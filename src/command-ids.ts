/** Every command HubShare registers, in one place. */
export const CommandIDs = {
  openPanel: 'hubshare:open-panel',
  refresh: 'hubshare:refresh',
  push: 'hubshare:push',
  pull: 'hubshare:pull',
  browseProject: 'hubshare:browse-project',
  showHistory: 'hubshare:show-history',
  checkOutToEdit: 'hubshare:check-out-to-edit',
  publish: 'hubshare:publish',
  checkOut: 'hubshare:check-out',
  cloneFromUrl: 'hubshare:clone-from-url',
  share: 'hubshare:share',
  manageTeams: 'hubshare:manage-teams',
  /** Opens the conflict picker; args: `{ path?: string }` (a checkout; default: the current one). */
  resolveConflicts: 'hubshare:resolve-conflicts',
  /** The file browser's menu on a conflicted file. */
  keepMine: 'hubshare:keep-mine',
  keepTheirs: 'hubshare:keep-theirs'
} as const;

/** The command palette category of every HubShare command. */
export const PALETTE_CATEGORY = 'HubShare';
