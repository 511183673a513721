import { route } from '@react-router/dev/routes';

// Resource routes: an action and no component, so the action's Response is the answer.
export default [
  route('webhooks/r2', 'routes/webhooks.r2.js'),
  route('webhooks/belvo', 'routes/webhooks.belvo.js'),
  route('webhooks/r2-parsed', 'routes/webhooks.r2-parsed.js'),
];
