/** Cuts a text at random places (seeded, so a failure can be replayed). */
export function randomSplits(text: string, seed: number, maxPieces = 12): string[] {
  // Spread small seeds over the whole state (xorshift starts slowly from small numbers).
  let state = Math.imul(seed, 2654435761) >>> 0 || 1;
  const next = () => {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  for (let i = 0; i < 4; i++) next();
  const cuts = new Set<number>();
  const count = Math.floor(next() * maxPieces);
  for (let i = 0; i < count; i++) cuts.add(Math.floor(next() * text.length));
  const sorted = [...cuts].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const cut of sorted) {
    pieces.push(text.slice(from, cut));
    from = cut;
  }
  pieces.push(text.slice(from));
  return pieces;
}

/** Cuts UTF-8 bytes at random places (a cut may fall inside a multi-byte character). */
export function randomByteSplits(bytes: Uint8Array, seed: number, maxPieces = 12): Uint8Array[] {
  const positions = randomSplits('x'.repeat(bytes.length), seed, maxPieces).map((p) => p.length);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const length of positions) {
    out.push(bytes.slice(from, from + length));
    from += length;
  }
  return out;
}
