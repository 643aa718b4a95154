import { env } from '../env.ts';

/** The table name, read once. */
let name: string | undefined;
export const tableName = (): string => {
  name ??= env('TABLE_NAME');
  return name;
};
