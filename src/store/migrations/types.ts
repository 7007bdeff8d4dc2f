/** A numbered schema change, applied once, in a transaction (src/store/schema.ts applies them in order). */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
