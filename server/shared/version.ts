/** Replaced with package.json's version by the bundler (scripts/bundle-server.mjs) and by vitest. */
declare const __HUBSHARE_VERSION__: string;

/** The HubShare version this code was built as. */
export const version: string = __HUBSHARE_VERSION__;
