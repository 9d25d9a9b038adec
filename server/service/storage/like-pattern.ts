/** `%text%` for a LIKE that finds `text` anywhere, lower case, LIKE's own characters taken literally (ESCAPE '\'). */
export function containing(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, char => `\\${char}`)}%`;
}
