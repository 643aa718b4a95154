import { render } from 'preact';
import { addFieldIssueTexts } from '../../shared/errors.ts';
import { App } from './app.tsx';
import { EXTRA_ISSUE_TEXT } from './i18n.ts';

// The payout engine's and the configuration rules' issue codes, shown beside fields like the rest.
addFieldIssueTexts(EXTRA_ISSUE_TEXT);

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
