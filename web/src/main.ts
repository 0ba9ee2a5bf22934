import './style.css';
import { setUnauthorizedHandler } from './api';
import { setSignInView, showExpired, startRouter } from './app';
import { dashboardView } from './views/dashboard';
import { homeView, pickerView, signInView } from './views/home';
import { studentView } from './views/student';

setUnauthorizedHandler(showExpired);
setSignInView(signInView);

// The skip link moves focus without touching the hash (the router owns it).
document.querySelector('.skip-link')?.addEventListener('click', (event) => {
  event.preventDefault();
  const main = document.getElementById('main');
  main?.focus();
});

startRouter([
  { pattern: /^\/$/, view: () => homeView },
  { pattern: /^\/schools$/, view: () => pickerView },
  { pattern: /^\/schools\/(\d+)$/, view: (m) => dashboardView(Number(m[1])) },
  { pattern: /^\/schools\/(\d+)\/students\/(\d+)$/, view: (m) => studentView(Number(m[1]), Number(m[2])) },
]);
