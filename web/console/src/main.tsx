import { render } from 'preact';
import { loadLocale } from '../../shared/i18n.ts';
import { storedLocale } from '../../shared/locale.tsx';
import { App } from './app.tsx';

const root = document.getElementById('app');
// The language this browser chose, when the bundle does not carry it, is fetched first (one chunk).
const ready = loadLocale(storedLocale()).catch(() => undefined);
if (root) {
  ready.then(() => {
    root.textContent = '';
    render(<App />, root);
  });
}
