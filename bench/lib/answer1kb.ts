/** A realistic 1 KB answer: prose around a fenced v2 call with several arguments. */
const prose =
  'Sure — I can save these notes for you. I have summarised the discussion about kites below, ' +
  'keeping the key points about one- and two-string designs, control, and what happens in kite fights. ';
const call = {
  function: 'save_chat',
  arguments: {
    fileName: 'KiteDiscussion',
    fileDescription: 'Notes on one and two stringed kites',
    fileContent:
      '--- **Types of Kite** There are one and two string kites. The two string ones are easier to control, ' +
      'although you can get the cords tangled. The one-stringed ones are sometimes used for kite fights, and you ' +
      'lose the kite and have to run after it if the string breaks. ---',
  },
};
const after =
  '\nLet me know if you would like a different file name or a shorter description. I can also list the files.';

function build(): string {
  let text = `${prose}\n\n\`\`\`json\n${JSON.stringify(call, null, 4)}\n\`\`\`\n${after}`;
  while (text.length < 1024) text += ' Happy flying!';
  return text.slice(0, Math.max(1024, text.length));
}

export const answer1kb = build();
export const answer1kbCall = { name: call.function, arguments: call.arguments };
