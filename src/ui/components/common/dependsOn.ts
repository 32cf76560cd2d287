/**
 * Reads its arguments and nothing else: an `$effect` that syncs the DOM with values it does not
 * otherwise use (scroll to the end when the text grows) calls it so that those values are tracked.
 */
export function dependsOn(..._values: unknown[]): void {
  // The reading happens at the call site, where the arguments are evaluated inside the effect.
}
