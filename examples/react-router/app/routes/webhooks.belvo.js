import { belvo, onEvent } from '../webhooks.server.js';

export const action = ({ request, context }) => belvo.handle(request, onEvent, { peer: context.peer });
