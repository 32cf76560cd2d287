/**
 * What FormField hands its control to spread on it. In a .ts file so that every importer sees the
 * type (ESLint too).
 */
export interface FieldAttributes {
  id: string;
  'aria-invalid': 'true' | undefined;
  'aria-describedby': string | undefined;
}
