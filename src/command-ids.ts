/** Every command HubShare registers, in one place. */
export const CommandIDs = {
  openPanel: 'hubshare:open-panel',
  refresh: 'hubshare:refresh',
  browseProject: 'hubshare:browse-project',
  showHistory: 'hubshare:show-history',
  checkOutToEdit: 'hubshare:check-out-to-edit'
} as const;

/** The command palette category of every HubShare command. */
export const PALETTE_CATEGORY = 'HubShare';
