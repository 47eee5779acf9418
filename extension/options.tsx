// Options page entry: renders the settings form. An extension page may carry the Markdown lexer itself.
import { render } from 'preact';
import { OptionsPage } from '../src/ui/options/options-page';
import { MarkdownLexerContext } from '../src/ui/markdown';
import { lexMarkdown } from '../src/markdown/lexer';

const app = document.getElementById('app');
if (app)
  render(
    <MarkdownLexerContext.Provider value={lexMarkdown}>
      <OptionsPage />
    </MarkdownLexerContext.Provider>,
    app,
  );
