/** Two "tabs" for cross-tab tests: each gets its own 'callama-store' channel object, over one name. */
import { StoreChannel } from '../../src/ui/persistence/storeChannel.ts';

let n = 0;
const open: StoreChannel[] = [];

/** A pair of channels that hear each other (and no other test's). */
export function channelPair(): [StoreChannel, StoreChannel] {
  const name = `callama-store-test-${process.pid}-${++n}`;
  const pair: [StoreChannel, StoreChannel] = [new StoreChannel(name), new StoreChannel(name)];
  open.push(...pair);
  return pair;
}

/** Closes every channel made so far (afterEach). */
export function closeChannels(): void {
  for (const c of open.splice(0)) c.close();
}

/** Waits until messages posted so far have been delivered. */
export const delivered = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));
