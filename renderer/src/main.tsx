import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { getKioskApi } from './api/kiosk-api.js';
import { createViewStore } from './api/use-view.js';
import { App } from './App.js';
import { i18n } from './i18n/index.js';
import './styles.css';

const api = getKioskApi();
const store = createViewStore(api);
const root = document.getElementById('root');
if (!root) throw new Error('no #root element');
createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <App api={api} store={store} />
    </I18nextProvider>
  </StrictMode>,
);
