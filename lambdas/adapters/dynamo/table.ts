import { env, perExecutionEnvironment } from '../env.ts';

/** The table name, read once per execution environment. */
export const tableName: () => string = perExecutionEnvironment(() => env('TABLE_NAME'));
