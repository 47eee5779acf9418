// Options page entry: renders the settings form.
import { render } from 'preact';
import { OptionsPage } from '../src/ui/options/options-page';

const app = document.getElementById('app');
if (app) render(<OptionsPage />, app);
