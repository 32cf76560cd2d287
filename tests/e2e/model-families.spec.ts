import { test, expect, type Page } from './helpers/test.ts';
import { answerSettled, lastAnswer, scriptEngine, send } from './chatFixtures.ts';

// One conversation per model family that arrived with issue 10, with the engine double answering in
// the family's own call syntax (../shared/TOOL-FORMATS.md): the reasoning goes into its "Thinking"
// section (its draft call never becomes a card or an error), the real call gets one card, its result
// goes back in the family's result syntax, and the model's answer follows.

test.use({ serviceWorkers: 'block' });

interface Family {
  name: string;
  modelId: string;
  /** The model's first answer: reasoning (if it reasons) and one call of calculate(6 * 7). */
  callReply: string;
  /** Text the follow-up prompt must contain: the result in the family's own result syntax. */
  resultPattern: string;
  reasons: boolean;
  /** The answer after the result, when the family writes more than the plain answer. */
  finalReply?: string;
}

const DECOY = 'I could write {"name": "calculate", "arguments": {}} but I need the numbers first.';

const FAMILIES: Family[] = [
  {
    name: 'Qwen3',
    modelId: 'Qwen3-0.6B-q4f32_1-MLC',
    callReply: `<think>\n${DECOY}\n</think>\n\n<tool_call>\n{"name": "calculate", "arguments": {"expression": "6 * 7"}}\n</tool_call>`,
    resultPattern: '<tool_response>[^<]*42',
    reasons: true,
  },
  {
    // The 4B thinks by default, and its prompt opens the think block: the answer starts inside it.
    name: 'Qwen3.5',
    modelId: 'Qwen3.5-4B-q4f32_1-MLC',
    callReply: `${DECOY}\n</think>\n\n<tool_call>\n<function=calculate>\n<parameter=expression>\n6 * 7\n</parameter>\n</function>\n</tool_call>`,
    resultPattern: '<tool_response>[^<]*42',
    reasons: true,
    // Every answer starts inside the think block its prompt opened, the one after the result too.
    finalReply: 'The tool answered.\n</think>\n\nSix times seven is 42.',
  },
  {
    name: 'Gemma 4',
    modelId: 'gemma-4-E2B-it-q4f32_1-MLC',
    callReply: `<|channel>thought\n${DECOY}<channel|><|tool_call>call:calculate{expression:<|"|>6 * 7<|"|>}<tool_call|>`,
    resultPattern: '<\\|tool_response>response:calculate\\{[\\s\\S]*42',
    reasons: true,
  },
  {
    name: 'Ministral 3 Reasoning',
    modelId: 'Ministral-3-3B-Reasoning-2512-q4f32_1-MLC',
    callReply: `[THINK]${DECOY}[/THINK][TOOL_CALLS]calculate[ARGS]{"expression": "6 * 7"}`,
    resultPattern: '\\[TOOL_RESULTS\\][^[]*42',
    reasons: true,
  },
  {
    name: 'Phi-4-mini',
    modelId: 'Phi-4-mini-instruct-q4f32_1-MLC',
    callReply: '<|tool_call|>[{"name": "calculate", "arguments": {"expression": "6 * 7"}}]<|/tool_call|>',
    resultPattern: '<\\|tool_response\\|>[^<]*42',
    reasons: false,
  },
  {
    name: 'SmolLM2',
    modelId: 'SmolLM2-1.7B-Instruct-q4f32_1-MLC',
    callReply: '<tool_call>[{"name": "calculate", "arguments": {"expression": "6 * 7"}}]</tool_call>',
    resultPattern: '<tool_response>[^<]*42',
    reasons: false,
  },
];

async function loadModel(page: Page, modelId: string): Promise<void> {
  await page.goto('./');
  await page.getByTestId('model-button').click();
  const picker = page.getByTestId('model-picker');
  await picker
    .locator(`[data-testid="model-card"][data-model="${modelId}"]`)
    .getByRole('button', { name: 'Download and load' })
    .click();
  await expect(picker.getByTestId('load-done')).toContainText(/loaded in/);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('composer-input')).toBeEnabled();
}

for (const family of FAMILIES) {
  test(`${family.name}: ${family.reasons ? 'thinking, ' : ''}a call in its own syntax, its result, the answer`, async ({
    page,
  }) => {
    await scriptEngine(page, [
      { match: family.resultPattern, reply: family.finalReply ?? 'Six times seven is 42.' },
      { match: 'What is 6 times 7', reply: family.callReply },
    ]);
    await loadModel(page, family.modelId);
    await send(page, 'What is 6 times 7?');
    await answerSettled(page);
    const answer = lastAnswer(page);
    await expect(answer).toHaveAttribute('data-status', 'done');

    await expect(answer.getByTestId('call-card')).toHaveCount(1);
    await expect(answer.getByTestId('call-card').getByTestId('call-name')).toHaveText('calculate');
    await expect(answer.getByTestId('error-card')).toHaveCount(0);
    await expect(answer.getByTestId('message-text').last()).toHaveText('Six times seven is 42.');
    const thinking = answer.getByTestId('thinking');
    if (family.reasons) {
      // One section per generation that reasoned; the first holds the decoy.
      await expect(thinking.first()).toContainText('I need the numbers first');
    } else {
      await expect(thinking).toHaveCount(0);
    }
    // The reasoning and the call syntax never show as answer text.
    for (const text of await answer.getByTestId('message-text').allInnerTexts()) {
      expect(text).not.toContain('I need the numbers first');
      expect(text).not.toMatch(/tool_call|TOOL_CALLS|<\|/);
    }
    // The result reached the model in the family's own syntax (the rule above matched it).
    const followUp = await page.evaluate(() => {
      const request = window.__CALLAMA_FAKE_LOG__?.at(-1);
      if (!request) return '';
      return request.api === 'completion' ? request.prompt : request.messages.map((m) => m.content).join('\n');
    });
    expect(followUp).toMatch(new RegExp(family.resultPattern));
  });
}
