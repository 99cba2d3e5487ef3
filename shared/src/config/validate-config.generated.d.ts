// Types of the config validator that scripts/build.mjs compiles ahead of time from schema.ts.
import type { ErrorObject } from 'ajv';

/** An ajv standalone validator: true when `data` matches the schema; `errors` then describes the first problems. */
export declare const validate: {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
};
export default validate;
