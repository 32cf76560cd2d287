/** First-visit example requests, each exercising a built-in function. */
export const EXAMPLES: readonly { text: string; uses: string }[] = [
  { text: 'What time is it in Tokyo?', uses: 'get_current_time' },
  { text: 'Save a note: buy milk', uses: 'save_note' },
  { text: 'What is 23 × 19?', uses: 'calculate' },
];
