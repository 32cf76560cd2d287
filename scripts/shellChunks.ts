/**
 * Few files for the first screen. By default Rolldown gives every set of importers its own chunk
 * (lazy chunks counted), so the app's first screen came in 19 small files; on a 2-core machine most
 * of the time before it was usable went on those requests (`npm run bench:shell`). Here the modules a
 * page runs at start are grouped instead:
 * - `shell-shared`: what both the app (index.html) and the widget (embed.html) run at start;
 * - `shell-app`: what only the app runs at start.
 * Entry modules stay in their entry chunks (a page runs its own entry only), and everything loaded
 * later (views, the Markdown parser, the highlighter, the worker) is split as before; a lazy chunk
 * imports what it shares with the start from these two.
 */
import type { Rolldown } from 'vite';

type Group = Rolldown.CodeSplittingGroup;
type NameFunction = Extract<NonNullable<Group['name']>, (...args: never[]) => unknown>;
type ChunkingContext = Parameters<NameFunction>[1];

/** The modules `entry` imports statically, directly or not, itself included. */
function staticClosure(entry: string, ctx: ChunkingContext): Set<string> {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    for (const dep of ctx.getModuleInfo(id)?.importedIds ?? []) {
      if (!seen.has(dep)) {
        seen.add(dep);
        queue.push(dep);
      }
    }
  }
  return seen;
}

/**
 * The code-splitting groups of the two shell chunks.
 * @param entries the module ids of the app's and the widget's entry scripts
 */
export function shellChunkGroups(entries: { app: string; widget: string }): Group[] {
  let reach: { app: Set<string>; widget: Set<string> } | undefined;
  /** Which shell chunk `id` belongs in, if any. */
  const shellOf = (id: string, ctx: ChunkingContext): 'shell-shared' | 'shell-app' | null => {
    reach ??= { app: staticClosure(entries.app, ctx), widget: staticClosure(entries.widget, ctx) };
    if (id === entries.app || id === entries.widget || !reach.app.has(id)) return null;
    return reach.widget.has(id) ? 'shell-shared' : 'shell-app';
  };
  // A group takes the modules its members import too; the shared one goes first (higher priority), so
  // the app's group cannot take a module the widget needs.
  return [
    {
      debugName: 'shell-shared',
      name: (id, ctx) => (shellOf(id, ctx) === 'shell-shared' ? 'shell-shared' : null),
      priority: 2,
    },
    {
      debugName: 'shell-app',
      name: (id, ctx) => (shellOf(id, ctx) === 'shell-app' ? 'shell-app' : null),
      priority: 1,
    },
  ];
}
