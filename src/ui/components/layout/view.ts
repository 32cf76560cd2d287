/** The app's two views. In a .ts file so that every importer sees the type (ESLint too). */
export type View = 'chat' | 'evaluate';
