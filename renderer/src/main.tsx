import './zodWithoutEval';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createCashierClient } from './api/client';
import { CashierProvider } from './api/hooks';
import { App } from './App';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <CashierProvider client={createCashierClient()}>
      <App />
    </CashierProvider>
  </StrictMode>,
);
