/** Every command HubShare registers, in one place. */
export const CommandIDs = {
  openPanel: 'hubshare:open-panel',
  refresh: 'hubshare:refresh',
  browseProject: 'hubshare:browse-project',
  showHistory: 'hubshare:show-history',
  checkOutToEdit: 'hubshare:check-out-to-edit',
  publish: 'hubshare:publish',
  checkOut: 'hubshare:check-out',
  cloneFromUrl: 'hubshare:clone-from-url',
  share: 'hubshare:share',
  manageTeams: 'hubshare:manage-teams'
} as const;

/** The command palette category of every HubShare command. */
export const PALETTE_CATEGORY = 'HubShare';
