import { extractCodeBlocks, extractMentionedUsernames } from './chat-markdown.js';

describe('mentions in a chat message', () => {
  it.each<[string, string, string[]]>([
    ['a single mention', 'ping @ann', ['ann']],
    ['a mention at the very start', '@ann look', ['ann']],
    ['mentions in the order written', '@eve then @ann', ['eve', 'ann']],
    ['a mention at the start of a later line', 'first line\n@ann second', ['ann']],
    ['mentions next to punctuation', '(@ann), [@eve]: @vic! "@zed"', ['ann', 'eve', 'vic', 'zed']],
    ['a name without the full stop that ends the sentence', 'thanks @ann.', ['ann']],
    ['a name without a trailing hyphen or possessive', '@ann- and @eve\'s', ['ann', 'eve']],
    ['dots, hyphens and underscores inside a name', '@ann.lee @eve-x @vic_2', ['ann.lee', 'eve-x', 'vic_2']],
    ['a one-letter name', 'hi @a', ['a']],
    ['names in lower case', '@Ann @EVE', ['ann', 'eve']],
    ['each name once, whatever its case', '@ann @Ann @ANN @eve @ann', ['ann', 'eve']],
  ])('finds %s', (_what, text, names) => {
    expect(extractMentionedUsernames(text)).toEqual(names);
  });

  it.each<[string, string]>([
    ['plain text', 'nothing to see here'],
    ['an e-mail address', 'write to a@b.com or ann.lee@example.com'],
    ['an e-mail address in angle brackets', 'mail <eve@example.org>'],
    ['a lone @', 'meet @ noon'],
    ['@ followed by a hyphen', 'see @-ann'],
    ['a mention glued to a full stop', 'end.@ann'],
    ['a mention inside inline code', 'type `@ann` to mention her'],
    ['a mention inside a fenced block without a language', '```\nconst who = "@ann";\n```'],
    ['a mention inside a fenced block with a language', '```ts\n// @eve wrote this\n@Decorator()\n```'],
  ])('finds none in %s', (_what, text) => {
    expect(extractMentionedUsernames(text)).toEqual([]);
  });

  it('finds the mentions around code but not in it', () => {
    const text = '@ann see `@zed` and\n```py\nprint("@vic")\n```\nthen tell @eve';
    expect(extractMentionedUsernames(text)).toEqual(['ann', 'eve']);
  });

  it('finds a mention between two fenced blocks', () => {
    expect(extractMentionedUsernames('```\n@ann\n```\n@eve\n```\n@vic\n```')).toEqual(['eve']);
  });
});

describe('code blocks in a chat message', () => {
  it('reads a fenced block with its language', () => {
    expect(extractCodeBlocks('look:\n```ts\nconst x = 1;\nconst y = 2;\n```\nok?')).toEqual([
      { language: 'ts', code: 'const x = 1;\nconst y = 2;' },
    ]);
  });

  it('calls a block without a language "text"', () => {
    expect(extractCodeBlocks('```\nplain words\n```')).toEqual([{ language: 'text', code: 'plain words' }]);
  });

  it('lower-cases the language and keeps symbols such as ++ and #', () => {
    expect(extractCodeBlocks('```C++\nint x;\n```\n```C#\nvar y;\n```')).toEqual([
      { language: 'c++', code: 'int x;' },
      { language: 'c#', code: 'var y;' },
    ]);
  });

  it('takes the language as the first word of the info string', () => {
    expect(extractCodeBlocks('``` python title="a.py"\nprint(1)\n```')).toEqual([{ language: 'python', code: 'print(1)' }]);
  });

  it('reads several blocks in order', () => {
    expect(extractCodeBlocks('```sh\nls\n```\nand\n```json\n{}\n```')).toEqual([
      { language: 'sh', code: 'ls' },
      { language: 'json', code: '{}' },
    ]);
  });

  it('keeps blank lines and indentation inside a block', () => {
    expect(extractCodeBlocks('```py\ndef f():\n\n    return 1\n```')).toEqual([{ language: 'py', code: 'def f():\n\n    return 1' }]);
  });

  it('reads an empty block', () => {
    expect(extractCodeBlocks('```\n```')).toEqual([{ language: 'text', code: '' }]);
  });

  it('accepts spaces after the closing fence', () => {
    expect(extractCodeBlocks('```js\nx()\n```   \nafter')).toEqual([{ language: 'js', code: 'x()' }]);
  });

  it('does not close a block on a fence that carries a language', () => {
    expect(extractCodeBlocks('```md\n```js\n```')).toEqual([{ language: 'md', code: '```js' }]);
  });

  it.each<[string, string]>([
    ['plain text', 'no code here'],
    ['inline code only', 'run `npm test` now'],
    ['a fence that is never closed', '```ts\nconst x = 1;'],
    ['backticks that do not start the line', 'say ```ts\nx\n``` inline'],
  ])('finds no block in %s', (_what, text) => {
    expect(extractCodeBlocks(text)).toEqual([]);
  });
});
