/** Entry point: theme before first paint, the session read started, then the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { prefetchSession } from './features/account/AuthGate.tsx';
import { initTheme } from './lib/theme.ts';
import './styles/index.css';

initTheme();
if (window.location.pathname !== '/accept-invite') prefetchSession();
const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
